import { describeValue, HelmSynthError } from '../errors';
import { isDnsLabel } from '../tokens/checks';
import { JsonValue } from '../values/value';
import { HelmChartBaseValues } from './chart-values';

/** An environment's values: what its `values-<name>.yaml` holds over the chart's defaults (a `null` removes a default, as in Helm). */
export type EnvironmentValues = { readonly [key: string]: JsonValue };

/**
 * What may be set over a chart's defaults when its values have the type `V`: every key optional at
 * every depth (an environment or a parent chart gives only what it changes); lists are given whole.
 */
export type ValuesOverrides<V> = V extends readonly unknown[] ? V : V extends object ? { [K in keyof V]?: ValuesOverrides<V[K]> } : V;

/**
 * The values an environment of a `HelmChart<V>` or a parent chart gives it: `ValuesOverrides` of
 * `V` and of the keys every chart holds (`nameOverride`, `fullnameOverride`, `global`); any
 * JSON map for a chart whose values have no declared type (`HelmChart` without a type argument).
 */
export type ChartOverrides<V> = unknown extends V ? EnvironmentValues : ValuesOverrides<HelmChartBaseValues & V>;

/** One environment of a chart. */
export interface ChartEnvironment {
  /** The name (a DNS-1123 label), as in `values-<name>.yaml`. */
  readonly name: string;
  /** Its values, as given. */
  readonly values: EnvironmentValues;
}

/** The rule an environment name follows, as messages state it. */
export const ENVIRONMENT_NAME_RULE =
  "a DNS-1123 label: lower-case letters a-z, digits and '-', starting and ending with a letter or digit, at most 63 characters";

/**
 * Checks an environment name: a DNS-1123 label, so `values-<name>.yaml` is one safe file name on
 * every file system (no path separator, dot, space or upper case, which case-insensitive file
 * systems would fold together) and reads as a namespace or release suffix would.
 */
export function checkEnvironmentName(name: unknown, where: string): string {
  if (typeof name !== 'string' || !isDnsLabel(name)) {
    throw new HelmSynthError(where, `environment name ${describeValue(name)} must be ${ENVIRONMENT_NAME_RULE}`);
  }
  return name;
}

/** The file an environment's values are written to, in the chart folder: `values-<name>.yaml`. */
export function environmentFileName(name: string): string {
  return `values-${name}.yaml`;
}
