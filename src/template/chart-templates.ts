import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { CLUSTER_SCOPED_KINDS } from '../chart/chart-metadata';
import { Hook } from '../hooks/hook';
import { HookEvent } from '../hooks/hook-types';
import { ReferenceUse, References } from '../values/reference';
import { helperName } from './helpers-tpl';
import { ConditionalField, includeKey, renderManifest } from './manifest';
import { kebabCase, nameSuffixOf, resourceNameExpression } from './resource-naming';
import { FieldOverride, resolveTemplateOptions, TemplateSettings } from './template-options';

/** Labels the chart sets on every object through `<chart>.labels`; constructs may not set them. */
export const STANDARD_LABELS = ['helm.sh/chart', 'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version', 'app.kubernetes.io/managed-by'];
/** The label cdk8s-plus selects pods by: the same in every release, so the instance is added beside it. */
export const CDK8S_SELECTOR_LABEL = 'cdk8s.io/metadata.addr';

/** One object of a chart and everything synthesis decided about it. */
export interface ChartObject {
  readonly object: ApiObject;
  readonly kind: string;
  readonly apiVersion: string;
  /** Name suffix (`''` for the bare full name). */
  readonly suffix: string;
  /** File path under the chart directory, e.g. `templates/server-deployment.yaml`. */
  readonly file: string;
  /** The hook it belongs to, if any. */
  readonly hook?: Hook;
  /** Its template settings (`Template.of`), resolved once. */
  readonly options: TemplateSettings;
  /** The converted JSON, with markers, before chart rewriting. */
  readonly json: Record<string, any>;
}

/** Collects the Kubernetes objects of a chart, with names, files and hooks decided and checked. */
export function collectChartObjects(chart: IConstruct): ChartObject[] {
  for (const construct of chart.node.findAll()) {
    if (References.containsMarker(construct.node.id)) {
      throw new HelmSynthError(construct.node.path, `construct id ${describeValue(construct.node.id)} contains a value token; ids must be literal`);
    }
  }
  const objects = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  const byFile = new Map<string, ChartObject>();
  const result: ChartObject[] = [];
  for (const object of objects) {
    const options = resolveTemplateOptions(object);
    const suffix = nameSuffixOf(object, chart, options);
    const json = object.toJson() as Record<string, any>;
    const kind = String(json.kind);
    const hook = Hook.forObject(object);
    const directory = options.directory ?? (hook?.runsAt(HookEvent.TEST) ? 'tests' : undefined);
    const base = [suffix, kebabCase(kind)].filter(Boolean).join('-');
    const file = ['templates', directory, `${base}.yaml`].filter(Boolean).join('/');
    const clash = byFile.get(file);
    if (clash) {
      throw new HelmSynthError(object.node.path, `two objects would be written to ${file} and share the name suffix ${describeValue(suffix)}: ${clash.object.node.path} and ${object.node.path}; give one a different id or Template.of(x).nameSuffix(...)`);
    }
    const entry: ChartObject = { object, kind, apiVersion: String(json.apiVersion), suffix, file, hook, options, json };
    byFile.set(file, entry);
    result.push(entry);
  }
  return result.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Renders one object as the text of its template file. */
export function renderChartObject(entry: ChartObject, chartName: string, nameMarkers: ReadonlyMap<string, string>): string {
  const { object, kind, suffix, hook, options } = entry;
  const where = object.node.path;
  const json = structuredClone(entry.json);
  for (const override of options.overrides) applyOverride(json, override, where);

  const metadata: Record<string, any> = json.metadata ?? {};
  const userLabels: Record<string, unknown> = metadata.labels ?? {};
  for (const label of [...STANDARD_LABELS, 'app.kubernetes.io/component']) {
    if (label in userLabels) {
      throw new HelmSynthError(where, `label ${label}=${describeValue(userLabels[label])} is set by the chart's labels helper; remove it from the construct`);
    }
  }
  const annotations = { ...(metadata.annotations ?? {}) };
  if (hook) {
    for (const key of Object.keys(hook.annotations)) {
      if (key in annotations) throw new HelmSynthError(where, `annotation ${key} is written by Hook; set it through Hook.apply, not by hand`);
    }
    Object.assign(annotations, hook.annotations);
  }
  const { name: _generatedName, namespace: _namespace, labels: _labels, annotations: _annotations, ...restMetadata } = metadata;
  json.metadata = {
    name: References.marker({ expression: resourceNameExpression(chartName, suffix), use: ReferenceUse.STRING, description: `name of ${where}` }),
    ...(!CLUSTER_SCOPED_KINDS.has(kind) && { namespace: References.marker({ expression: '.Release.Namespace', use: ReferenceUse.STRING, description: 'release namespace' }) }),
    labels: {
      [includeKey(helperName(chartName, 'labels'))]: null,
      'app.kubernetes.io/component': suffix || chartName,
      ...userLabels,
    },
    ...(Object.keys(annotations).length && { annotations }),
    ...restMetadata,
  };
  const rewritten = rewrite(json, chartName, nameMarkers);
  const body = renderManifest(rewritten, where);
  const header = `# ${kind} ${where}, written by helm-synth.\n`;
  if (!options.condition) return `${header}${body}`;
  return `{{- if ${options.condition.expression} }}\n${header}${body}{{- end }}\n`;
}

function rewrite(node: unknown, chartName: string, nameMarkers: ReadonlyMap<string, string>): unknown {
  if (typeof node === 'string') return nameMarkers.get(node) ?? node;
  if (Array.isArray(node)) return node.map((item) => rewrite(item, chartName, nameMarkers));
  if (node instanceof ConditionalField) return new ConditionalField(node.condition, rewrite(node.value, chartName, nameMarkers));
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(([key, value]) => [key, rewrite(value, chartName, nameMarkers)] as const);
  if (CDK8S_SELECTOR_LABEL in node && !(includeKey(helperName(chartName, 'labels')) in node)) {
    return Object.fromEntries([[includeKey(helperName(chartName, 'selectorLabels')), null], ...entries]);
  }
  return Object.fromEntries(entries);
}

function applyOverride(json: Record<string, any>, override: FieldOverride, where: string): void {
  const { path, value, condition } = override;
  let node: any = json;
  for (const [i, segment] of path.slice(0, -1).entries()) {
    if (node[segment] === undefined) {
      if (value === undefined) return;
      node[segment] = typeof path[i + 1] === 'number' ? [] : {};
    }
    node = node[segment];
    if (node === null || typeof node !== 'object') {
      throw new HelmSynthError(where, `field ${path.join('.')}: ${path.slice(0, i + 1).join('.')} is not an object`);
    }
  }
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
    return;
  }
  node[last] = condition ? new ConditionalField(condition.expression, value) : value;
}

/** Fails on anything a template must not contain: a marker that survived rendering. */
export function checkNoMarkersLeft(text: string, file: string, chartPath: string): void {
  const marker = References.firstMarker(text);
  if (marker) throw new HelmSynthError(chartPath, `${file}: token ${marker} was not replaced (used in a place helm-synth does not rewrite)`);
  if (/zzhsp\d+zz/.test(text)) throw new HelmSynthError(chartPath, `${file}: an object value is used where only a whole field or list item can take one`);
}
