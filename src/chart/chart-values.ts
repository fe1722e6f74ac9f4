import { JsonValue } from '../values/value';
import { ValuesOf } from '../values/value-spec';

/** The keys every `HelmChart`'s values hold besides its own. */
export interface HelmChartBaseValues {
  /** Replaces the chart name in object names. */
  nameOverride?: string;
  /** Replaces the whole release-scoped base name of objects. */
  fullnameOverride?: string;
  /** Values shared with every subchart. */
  global?: { [key: string]: JsonValue };
}

/**
 * The TypeScript type of a user's values file for a chart whose own values are the tree `T` (what
 * `chart.values.define` returned): `ValuesOf<T>` and the keys every chart holds.
 */
export type ChartValuesOf<T> = HelmChartBaseValues & ValuesOf<T>;
