import { createHash } from 'node:crypto';
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeValue, HelmSynthError, Problem } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { kebabCase, nameSuffixOf } from '../chart/resource-naming';
import { objectOwner, ReplacingValue, templateSettings, TemplateSettings } from '../chart/template';
import { orEmpty } from '../tokens/checks';
import { objectNameRule } from './field-names';
import { Hook } from '../hooks/hook';
import { HookEvent } from '../hooks/hook-types';
import {
  describeText,
  hasToken,
  isDanglingToken,
  literalIdText,
  registerStableAddress,
  splitTokens,
  TextPart,
  Token,
} from '../tokens/token';
import { commentLines, LINE_BREAKS } from './yaml-text';
import { CDK8S_SELECTOR_LABEL, CRD_KIND, jsonAt, POD_METADATA_PATHS } from '../chart/kinds';
import { withRestrictedDefaults } from './pod-security-defaults';
import { withoutInventedResources } from './container-defaults';

/** One object of a chart and everything synthesis decided about it. */
export interface ChartObject {
  /** The cdk8s object. */
  readonly object: ApiObject;
  /** The construct users name for it (a cdk8s-plus resource, a HookJob, or the object itself). */
  readonly owner: IConstruct;
  /** Kubernetes kind. */
  readonly kind: string;
  /** API version. */
  readonly apiVersion: string;
  /** Name suffix (`''` for the bare full name). */
  readonly suffix: string;
  /** Its `app.kubernetes.io/component` label: the suffix, or the chart name for the bare full name. */
  readonly component: string;
  /** File path under the chart directory, e.g. `templates/server-deployment.yaml` (CRDs: `crds/<name>.yaml`). */
  readonly file: string;
  /** The hook it belongs to, if any. */
  readonly hook?: Hook;
  /** Its template settings, resolved once. */
  readonly settings: TemplateSettings;
  /** The converted JSON, with tokens and the restricted pod security defaults, before any chart rewriting. */
  readonly json: Record<string, any>;
  /** The first line of its file: which object of which construct it is, as one YAML comment line. */
  readonly header: string;
  /**
   * The literal name `Template.of(x).fixedName()` keeps, as literal text and tokens.
   * @default none: the object is named `<fullname>-<suffix>`
   */
  readonly fixedName?: ReadonlyArray<string | Token>;
}

export type { Problem } from '../errors';

/**
 * Collects the Kubernetes objects of a chart (not those of charts nested in it), with names, files
 * and hooks decided. Problems are added to `problems`; the objects that could be converted are returned.
 */
export function collectChartObjects(chart: HelmChart, problems: Problem[]): ChartObject[] {
  const objects: ApiObject[] = [];
  const visit = (construct: IConstruct, tokenInPath: boolean): void => {
    for (const child of construct.node.children) {
      const parts = splitTokens(child.node.id);
      if (parts?.some((part) => typeof part !== 'string' && isDanglingToken(part)))
        problems.push({
          constructPath: child.node.path,
          message: `construct id ${describeValue(child.node.id)} holds a token of a chart that no longer exists; ids must be literal`,
        });
      const childTokenInPath = tokenInPath || parts !== undefined;
      if (childTokenInPath) registerStableAddress(child.node.addr, stableAddress(child));
      if (HelmChart.isHelmChart(child)) continue;
      if (Chart.isChart(child)) {
        problems.push({
          constructPath: child.node.path,
          message: `a cdk8s Chart inside HelmChart ${chart.node.path} is not supported: its objects would be named outside the chart; use a Construct as the scope, or a HelmChart of its own`,
        });
        continue;
      }
      if (ApiObject.isApiObject(child)) objects.push(child);
      visit(child, childTokenInPath);
    }
  };
  visit(chart, false);

  const byFile = new Map<string, ChartObject>();
  const result: ChartObject[] = [];
  for (const object of objects) {
    const owner = objectOwner(object);
    try {
      const settings = templateSettings(object);
      const suffix = nameSuffixOf(object, chart, settings);
      const json = withoutInventedResources(object, withRestrictedDefaults(toJson(object)));
      const kind = String(json.kind);
      for (const field of ['apiVersion', 'kind'] as const) {
        if (typeof json[field] !== 'string' || hasToken(json[field])) {
          throw new HelmSynthError(
            owner.node.path,
            `${field} ${describeText(json[field])} must be literal text: Helm reads it before rendering values`,
          );
        }
      }
      const foreign = [settings.condition, ...settings.overrides.map((o) => o.condition)]
        .flatMap((condition) => condition?.owners ?? [])
        .concat(settings.replacedBy ? [settings.replacedBy.owner] : [])
        .find((owner) => owner !== chart);
      if (foreign) {
        throw new HelmSynthError(
          owner.node.path,
          `a condition or replacing value reads values of chart ${foreign.node.path}; chart ${chart.node.path} can only read its own values`,
        );
      }
      if (settings.replacedBy) narrowReplacingValue(chart, settings.replacedBy, kind, owner.node.path);
      const hook = Hook.forObject(object);
      const file = fileOf(kind, suffix, json, settings, hook);
      const entry: ChartObject = {
        object,
        owner,
        kind,
        apiVersion: String(json.apiVersion),
        suffix,
        component: suffix || chart.chartName,
        file,
        hook,
        settings,
        json,
        header: commentLines(`${kind} ${literalIdText(object.node.path)}, written by helm-synth.`.split(LINE_BREAKS).join(' '), '')[0],
        fixedName: settings.fixedName ? (splitTokens(object.name) ?? [object.name]) : undefined,
      };
      const clash = byFile.get(file);
      if (clash) {
        problems.push({
          constructPath: owner.node.path,
          message: `two objects would be written to ${file}${kind === CRD_KIND ? '' : ` and share the name suffix ${describeValue(suffix)}`}: ${clash.owner.node.path} and ${owner.node.path}; give one a different id or Template.of(x).nameSuffix(...)`,
        });
        continue;
      }
      byFile.set(file, entry);
      result.push(entry);
    } catch (error) {
      if (!HelmSynthError.isHelmSynthError(error)) throw error;
      problems.push(...error.problems);
    }
  }
  checkComponents(result, problems);
  checkFixedNames(result, problems);
  return result.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * The value of `replaceableBy` names an existing object of the kind, or is empty: its schema gets
 * the kind's name rule (`orEmpty`), and its default must pass it.
 */
function narrowReplacingValue(chart: HelmChart, replacing: ReplacingValue, kind: string, where: string): void {
  const value = chart.values.tryGet(replacing.path);
  if (!value || (value as unknown) !== replacing) return;
  const rule = orEmpty(objectNameRule(kind));
  try {
    chart.values.narrow(value, { ...rule.schema }, `the name of an existing ${kind} (${rule.expected})`);
  } catch (error) {
    if (!HelmSynthError.isHelmSynthError(error)) throw error;
    throw new HelmSynthError(where, `replaceableBy(${value.path}): ${error.problems[0].message}`);
  }
}

/**
 * The component label of each workload by the value of its `cdk8s.io/metadata.addr` label, which
 * cdk8s-plus puts on the pod template and in every selector of its pods.
 */
export function workloadComponents(objects: readonly ChartObject[]): Map<string, string> {
  const components = new Map<string, string>();
  for (const entry of objects) {
    const path = POD_METADATA_PATHS[entry.kind];
    const addr = path && jsonAt(entry.json, [...path, 'labels', CDK8S_SELECTOR_LABEL]);
    if (typeof addr === 'string') components.set(addr, entry.component);
  }
  return components;
}

/** Two workloads with one component label would select each other's pods. */
function checkComponents(objects: readonly ChartObject[], problems: Problem[]): void {
  const seen = new Map<string, ChartObject>();
  for (const entry of objects) {
    if (!POD_METADATA_PATHS[entry.kind]) continue;
    const other = seen.get(entry.component);
    if (other) {
      problems.push({
        constructPath: entry.owner.node.path,
        message: `its pods would carry the same selector labels (app.kubernetes.io/component=${entry.component}) as those of ${other.owner.node.path}; give one a different name suffix`,
      });
    }
    seen.set(entry.component, entry);
  }
}

/**
 * Two objects of one kind kept under one literal name (`fixedName()`) that render under the same
 * condition would be one object twice: `helm lint` and install refuse the chart. Objects under
 * different conditions (meant to be exclusive) are left alone.
 */
function checkFixedNames(objects: readonly ChartObject[], problems: Problem[]): void {
  const seen = new Map<string, ChartObject>();
  for (const entry of objects) {
    const name = entry.json.metadata?.name;
    if (!entry.settings.fixedName || typeof name !== 'string' || hasToken(name)) continue;
    const key = JSON.stringify([entry.kind, name, entry.settings.renderCondition?.expression ?? '']);
    const other = seen.get(key);
    if (other) {
      problems.push({
        constructPath: entry.owner.node.path,
        message: `fixedName() keeps the ${entry.kind} name ${describeValue(name)}, which ${other.owner.node.path} keeps too, under the same condition: the chart would hold one object twice (helm lint and install refuse it); give one another name`,
      });
    }
    seen.set(key, entry);
  }
}

/** An address like cdk8s's (`c8` and 40 hex digits), hashed from the literal id text of each scope. */
function stableAddress(construct: IConstruct): string {
  const hash = createHash('sha256');
  for (const scope of construct.node.scopes) hash.update(`${literalIdText(scope.node.id)}\n`);
  return `c8${hash.digest('hex').slice(0, 40)}`;
}

function toJson(object: ApiObject): Record<string, any> {
  try {
    return object.toJson() as Record<string, any>;
  } catch (error) {
    if (HelmSynthError.isHelmSynthError(error)) throw error;
    throw new HelmSynthError(objectOwner(object).node.path, `cannot be converted to Kubernetes JSON: ${(error as Error).message}`);
  }
}

function fileOf(kind: string, suffix: string, json: Record<string, any>, settings: TemplateSettings, hook: Hook | undefined): string {
  if (kind === CRD_KIND) {
    const name = json.metadata?.name;
    return `crds/${typeof name === 'string' && /^[a-z0-9.-]+$/.test(name) ? name : kebabCase(suffix) || 'crd'}.yaml`;
  }
  const directory = settings.directory ?? (hook?.runsAt(HookEvent.TEST) ? 'tests' : undefined);
  const base = [suffix, kebabCase(kind)].filter(Boolean).join('-');
  return ['templates', directory, `${base}.yaml`].filter(Boolean).join('/');
}

/**
 * The chart's own notes (`HelmChart.notes`, trailing space cut) as literal text and tokens, for
 * NOTES.txt: only the chart's own tokens (or release fields), no secret. Undefined when it has none.
 */
export function collectNotes(chart: HelmChart): TextPart[] | undefined {
  if (!chart.notes) return undefined;
  const text = chart.notes.trimEnd();
  const parts = splitTokens(text) ?? [text];
  for (const part of parts) {
    if (typeof part === 'string') continue;
    if (part.owner && part.owner !== chart)
      throw new HelmSynthError(chart.node.path, `notes: ${part.description} belongs to chart ${part.owner.node.path}`);
    if (part.secret) throw new HelmSynthError(chart.node.path, `notes: ${part.description} is a secret and cannot be printed`);
  }
  return parts;
}
