import { parse } from 'yaml';
import { describeValue } from '../errors';
import { coalesceValues } from '../helm/coalesce-values';
import { HelmChart } from '../chart/helm-chart';
import { ChartEnvironment, environmentFileName } from '../chart/environment';
import { closestNames } from '../chart/kubernetes-schema';
import { ValueType } from '../values/value';
import { compiledSchema, INT64_MAX, INT64_MIN, ValuesRule } from '../values/values';
import { emitTree } from './emit-template';
import { Problem } from './collect';
import { jsonNode, MapNode } from './template-tree';

/** A chart's values as Helm checks a values file against them: defaults, schema, the secret paths. */
export interface ValuesCheck {
  readonly defaults: unknown;
  readonly schema: Record<string, unknown>;
  readonly secrets: readonly string[];
  /** Checks beyond the schema (`Values.addRule`). */
  readonly rules: readonly ValuesRule[];
}

/** The values files of a chart (values.yaml and values.schema.json text), for checking values given to it. */
export interface ChartValuesFiles {
  readonly valuesYaml: string;
  readonly schemaText: string;
}

/**
 * How values given to a chart are checked: its values.yaml as Helm reads it, its schema, its
 * secrets. Values with no default (required ones, secrets, `requiredUnless`) are given at install
 * time, on top of the file: the schema's `required` of those keys is left out of the check.
 */
export function valuesCheck(chart: HelmChart<any>, files: ChartValuesFiles): ValuesCheck {
  const installTime = new Set(chart.values.all.filter((value) => value.default === undefined).map((value) => value.path));
  const schema = JSON.parse(files.schemaText);
  const writeOnly = writeOnlyPaths(schema, '');
  const sharedThroughGlobal = writeOnly.flatMap((path) => /^[^.]+\.(global\..+)$/.exec(path)?.[1] ?? []);
  const secrets = new Set([
    ...chart.values.all.filter((value) => value.type === ValueType.SECRET).map((value) => value.path),
    ...writeOnly,
    ...sharedThroughGlobal,
  ]);
  return {
    defaults: parse(files.valuesYaml, { version: '1.1' }) ?? {},
    schema: withExclusiveInt64Bounds(withoutRequired(schema, '', installTime)) as Record<string, unknown>,
    secrets: [...secrets],
    rules: chart.values.rules,
  };
}

/**
 * The values paths the schema marks `writeOnly` (through `properties`): the chart's secrets and
 * the passwords a dependency's known keys declare (bitnami/postgresql's `auth.postgresPassword`).
 * A dependency's `global.*` password is also refused at the top's `global`, which Helm hands it.
 */
function writeOnlyPaths(schema: unknown, at: string): string[] {
  if (!isMap(schema) || !isMap(schema.properties)) return [];
  return Object.entries(schema.properties).flatMap(([key, child]) => [
    ...(isMap(child) && child.writeOnly === true ? [`${at}${key}`] : []),
    ...writeOnlyPaths(child, `${at}${key}.`),
  ]);
}

/**
 * The schema (of the values at `at`) with the keys of `paths` taken out of every `required` it
 * imposes, at any depth (`properties`, `then`/`else`, `allOf`/`anyOf`/`oneOf`); conditions (`if`,
 * `not`) are kept as they are, since a `required` there selects rather than imposes.
 */
function withoutRequired(schema: unknown, at: string, paths: ReadonlySet<string>): unknown {
  if (paths.size === 0 || schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const result: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema as Record<string, unknown>)) {
    if (keyword === 'required' && Array.isArray(value)) {
      const kept = value.filter((key) => !paths.has(`${at}${key}`));
      if (kept.length) result.required = kept;
    } else if (keyword === 'properties' && isMap(value)) {
      result.properties = Object.fromEntries(
        Object.entries(value).map(([key, child]) => [key, withoutRequired(child, `${at}${key}.`, paths)]),
      );
    } else if (keyword === 'then' || keyword === 'else') {
      result[keyword] = withoutRequired(value, at, paths);
    } else if (['allOf', 'anyOf', 'oneOf'].includes(keyword) && Array.isArray(value)) {
      result[keyword] = value.map((part) => withoutRequired(part, at, paths));
    } else result[keyword] = value;
  }
  return result;
}

/**
 * The schema with the int64 bounds of integer values made exclusive. JavaScript reads them as
 * ±2^63, and writes a number of that size with the digits 9223372036854776000, which Helm compares
 * exactly with the bound the schema spells out (9223372036854775807) and refuses: so do we.
 */
function withExclusiveInt64Bounds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withExclusiveInt64Bounds);
  if (schema === null || typeof schema !== 'object') return schema;
  const result: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema as Record<string, unknown>)) {
    if (keyword === 'maximum' && typeof value === 'number' && value >= INT64_MAX) result.exclusiveMaximum = INT64_MAX;
    else if (keyword === 'minimum' && typeof value === 'number' && value <= INT64_MIN) result.exclusiveMinimum = INT64_MIN;
    else result[keyword] = withExclusiveInt64Bounds(value);
  }
  return result;
}

/**
 * What is wrong with values given over a chart's defaults (an environment's, or a parent chart's
 * under its key, `at`), as Helm would find it at install: merged as Helm merges them and checked
 * against the schema. A secret is refused: it is passed at install time, never written to a file.
 */
export function valuesProblem(check: ValuesCheck, values: unknown, at = ''): string | undefined {
  const committed = check.secrets.filter((path) => valueAt(values, path.split('.')) !== undefined).map((path) => `${at}${path}`);
  if (committed.length) {
    return `${committed.join(', ')} ${committed.length > 1 ? 'are secrets' : 'is a secret'}: pass ${committed.length > 1 ? 'them' : 'it'} at install time (--set, or a values file kept out of the repository), never in a values file helm-synth writes`;
  }
  const merged = coalesceValues(check.defaults, values);
  const validate = compiledSchema(check.schema, false);
  if (!validate(merged)) return schemaProblem(validate.errors?.[0], merged, check.schema, at);
  return check.rules.map((rule) => rule(merged, at)).find((problem) => problem !== undefined);
}

/**
 * `values-<env>.yaml` for each environment of the chart, after checking its values merged over the
 * defaults (values.yaml as Helm reads it) against values.schema.json, as Helm does at install, and
 * those under the key of a chart of this app it depends on against that chart's schema too. A value
 * refused is a problem naming the chart, the environment and the value path.
 */
export function renderEnvironmentFiles(
  chart: HelmChart<any>,
  own: ChartValuesFiles,
  dependencyFiles: (dependency: HelmChart<any>) => ChartValuesFiles | undefined,
  problems: Problem[],
): Map<string, string> {
  const files = new Map<string, string>();
  if (chart.environments.length === 0 && chart.localChartDependencies.length === 0) return files;
  const check = valuesCheck(chart, own);
  const dependencies = checkedDependencies(chart, dependencyFiles);
  for (const dependency of dependencies) {
    const problem = dependencyProblem(dependency, {}, '');
    if (problem) problems.push({ constructPath: chart.node.path, message: `dependency ${dependency.chart.chartName}: ${problem}` });
  }
  for (const environment of chart.environments) {
    const problem =
      valuesProblem(check, environment.values) ??
      dependencies
        .map((dependency) => {
          const given = valueAt(environment.values, [dependency.key]);
          return given === undefined ? undefined : dependencyProblem(dependency, given, '');
        })
        .find((found) => found !== undefined);
    if (problem) {
      problems.push({
        constructPath: chart.node.path,
        message: `environment ${environment.name} (${environmentFileName(environment.name)}): ${problem}`,
      });
      continue;
    }
    files.set(environmentFileName(environment.name), renderEnvironmentFile(chart, environment));
  }
  return files;
}

/** A chart of this app a chart depends on, with how values given to it are checked, its own such dependencies included. */
interface CheckedDependency {
  readonly key: string;
  readonly chart: HelmChart<any>;
  readonly values: unknown;
  readonly check: ValuesCheck;
  readonly dependencies: readonly CheckedDependency[];
}

function checkedDependencies(
  chart: HelmChart<any>,
  dependencyFiles: (dependency: HelmChart<any>) => ChartValuesFiles | undefined,
): CheckedDependency[] {
  return chart.localChartDependencies.flatMap((dependency) => {
    const found = dependencyFiles(dependency.chart);
    return found
      ? [
          {
            ...dependency,
            check: valuesCheck(dependency.chart, found),
            dependencies: checkedDependencies(dependency.chart, dependencyFiles),
          },
        ]
      : [];
  });
}

/**
 * What is wrong with values given to a dependency under its key (at `at`), over the values its
 * parent's values.yaml holds there, as Helm checks them: against its schema, and those under the
 * keys of its own dependencies against theirs, at every level of an umbrella.
 */
function dependencyProblem(dependency: CheckedDependency, given: unknown, at: string): string | undefined {
  const values = coalesceValues(dependency.values, given);
  const prefix = `${at}${dependency.key}.`;
  return (
    valuesProblem(dependency.check, values, prefix) ??
    dependency.dependencies
      .map((inner) => {
        const innerGiven = valueAt(values, [inner.key]);
        return innerGiven === undefined ? undefined : dependencyProblem(inner, innerGiven, prefix);
      })
      .find((found) => found !== undefined)
  );
}

/** The install command of an environment, as the README and the file's header show it. */
export function environmentInstallCommand(chart: HelmChart<any>, environment: string): string {
  const name = chart.chartName;
  const release = chart.install?.releaseName ?? 'my-release';
  const namespace = chart.install?.namespace ?? 'my-namespace';
  return `helm upgrade --install ${release} ./${name} --namespace ${namespace} --create-namespace -f ./${name}/${environmentFileName(environment)}`;
}

function renderEnvironmentFile(chart: HelmChart<any>, environment: ChartEnvironment): string {
  const header = [
    `# Values of environment ${environment.name}, over this chart's values.yaml. Generated by helm-synth:`,
    '# edit the TypeScript source, not this file. Install with:',
    `# ${environmentInstallCommand(chart, environment.name)}`,
  ];
  return `${header.join('\n')}\n${emitTree(jsonNode(environment.values) as MapNode, { chartName: chart.chartName, template: false })}`;
}

type SchemaError = NonNullable<ReturnType<typeof compiledSchema>['errors']>[number];

/** One schema error in words: the value path, what is wrong and, for an unknown key, the closest known one. */
function schemaProblem(error: SchemaError | undefined, merged: unknown, schema: Record<string, unknown>, prefix: string): string {
  if (!error) return `${prefix}... does not pass values.schema.json`;
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path = `${prefix}${segments.join('.')}`.replace(/\.$/, '');
  const at = path ? `${path} ` : '';
  const params = error.params ?? {};
  if (error.keyword === 'additionalProperties') {
    const key = String(params.additionalProperty);
    const known = Object.keys(propertiesAt(schema, segments));
    const closest = closestNames(key, known);
    return `${path ? `${path}.` : ''}${key} is not a value of this chart${closest.length ? ` (did you mean ${closest.join(' or ')}?)` : ''}`;
  }
  if (error.keyword === 'required')
    return `${path ? `${path}.` : ''}${String(params.missingProperty)} is required (a null in an environment removes the default)`;
  const actual = valueAt(merged, segments);
  return `${at}${error.message ?? 'is invalid'} (the value is ${describeValue(actual)})`;
}

/** The `properties` of the object schema at a values path (through `properties` only), for suggestions. */
function propertiesAt(schema: unknown, segments: readonly string[]): Record<string, unknown> {
  let node = schema as Record<string, any> | undefined;
  for (const segment of segments) node = node?.properties?.[segment];
  return (node?.properties as Record<string, unknown>) ?? {};
}

function valueAt(values: unknown, segments: readonly string[]): unknown {
  return segments.reduce<unknown>((node, key) => {
    if (Array.isArray(node)) return /^(0|[1-9][0-9]*)$/.test(key) ? node[Number(key)] : undefined;
    return isMap(node) && Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
  }, values);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
