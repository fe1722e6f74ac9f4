import { JsonValue } from '../values/value';
import { ValuesOf } from '../values/value-spec';

/**
 * The keys every `HelmChart`'s values hold besides its own. A type, not an interface, so that a
 * value of it (and of `ChartValuesOf`) is also a JSON map (`EnvironmentValues`): TypeScript gives
 * object types an implicit index signature, interfaces none.
 */
export type HelmChartBaseValues = {
  /** Replaces the chart name in object names. */
  nameOverride?: string;
  /** Replaces the whole release-scoped base name of objects. */
  fullnameOverride?: string;
  /** Values shared with every subchart. */
  global?: { [key: string]: JsonValue };
};

/**
 * The TypeScript type of a user's values file for a chart whose own values are the tree `T` (what
 * `chart.values.define` returned): `ValuesOf<T>` and the keys every chart holds.
 */
export type ChartValuesOf<T> = HelmChartBaseValues & ValuesOf<T>;
