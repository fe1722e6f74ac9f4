import { describeValue, HelmSynthError } from '../errors';
import { isDnsLabel } from '../tokens/checks';
import { JsonValue } from '../values/value';
import { HelmChartBaseValues } from './chart-values';

/** An environment's values: what its `values-<name>.yaml` holds over the chart's defaults (a `null` removes a default, as in Helm). */
export type EnvironmentValues = { readonly [key: string]: JsonValue };

/**
 * What may be set over a chart's defaults when its values have the type `V`: every key optional at
 * every depth (an environment or a parent chart gives only what it changes); lists are given whole.
 * `null` removes a key as Helm merges it, where the schema lets a key go: an entry of a map (every
 * key values.yaml holds is required by the schema). A secret is never given: it is passed at
 * install time, never written to a values file.
 */
export type ValuesOverrides<V> = V extends readonly unknown[]
  ? V
  : V extends object
    ? { [K in keyof V]?: IsSecret<V[K]> extends true ? never : ValuesOverrides<V[K]> | NullWhereRemovable<V, K> }
    : V;

/** True for the type of a secret value (`SecretString`), false for any other. */
export type IsSecret<T> = T extends string ? (string extends keyof T ? false : '~secret' extends keyof T ? true : false) : false;

/** `null` where Helm's removal of key `K` of `V` is one the schema accepts: an entry of a map; `never` elsewhere (a key values.yaml holds is required). */
export type NullWhereRemovable<V, K extends keyof V> = string extends keyof V ? (K extends string ? null : never) : never;

/**
 * The values an environment of a `HelmChart<V>` or a parent chart gives it: `ValuesOverrides` of
 * `V` and of the keys every chart holds (`nameOverride`, `fullnameOverride`, `global`); any
 * JSON map for a chart whose values have no declared type (`HelmChart` without a type argument).
 */
export type ChartOverrides<V> = unknown extends V ? EnvironmentValues : ValuesOverrides<HelmChartBaseValues & V>;

/**
 * The values a parent chart's environment gives a dependency under its key `K` (its alias), typed
 * by the dependency's values `W`; nothing when the key is not a literal (no alias: TypeScript does
 * not know a chart's name).
 */
export type DependencyValues<K extends string, W> = string extends K
  ? unknown
  : { [P in K]?: unknown extends W ? EnvironmentValues : HelmChartBaseValues & W };

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
