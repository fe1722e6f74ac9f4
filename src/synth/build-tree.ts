import { ApiObject } from 'cdk8s';
import { describeValue, HelmSynthError } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { helperName, nameSuffixOf, NameToken } from '../chart/resource-naming';
import { FieldOperation, FieldOverride, FieldPathSegment } from '../chart/template';
import { hasLoneSurrogate, isDnsLabel, isDnsSubdomain } from '../tokens/checks';
import { Release } from '../tokens/release';
import {
  classifyNumber,
  describeText,
  hasToken,
  NumberKind,
  PRINTED_HUGE_NUMBER,
  ResolveContext,
  splitTokens,
  TextPart,
  Token,
  TokenUse,
  wholeToken,
} from '../tokens/token';
import { checkPodSecurity } from '../policy/pod-security';
import { CDK8S_SELECTOR_LABEL, CLUSTER_SCOPED_KINDS, CRD_KIND, jsonAt, POD_SPEC_PATHS, STANDARD_LABELS } from '../chart/kinds';
import { addChecksums } from './checksums';
import { ChartObject, Problem } from './collect';
import { PodReads } from './hook-dependencies';
import { previewTree } from './preview';
import { applyOverride } from './apply-override';
import { FieldEntry, fieldOf, jsonNode, ListItem, ListNode, literal, MapEntry, MapNode, TemplateNode } from './template-tree';
import { checkFieldPath } from '../chart/field-path';
import { schemaCoversRange, SchemaCursor } from '../chart/kubernetes-schema';
import { checkListKeys, defaultRenderKeyProblems } from './list-keys';
import { dataKeyProblem, metadataKeyProblem, nameProblem, objectNameRule } from './field-names';
import { isScalarField, narrowForField, STRING_MAP_FIELDS, valueOf } from './field-uses';
import { checkedMinReplicas, ReplicaBound } from '../workloads/autoscaling';

/** What building one object's tree needs to know about the chart. */
export interface TreeContext {
  /** The chart being synthesized. */
  readonly chart: HelmChart;
  /** The object. */
  readonly object: ApiObject;
  /** Construct path named in errors. */
  readonly where: string;
  /** Its kind. */
  readonly kind: string;
  /** Its `app.kubernetes.io/component` label. */
  readonly component: string;
  /** Keep a literal `metadata.name` (`Template.of(x).fixedName()`). */
  readonly fixedName: boolean;
  /** Its hook annotations, if it is a hook. */
  readonly hookAnnotations?: Readonly<Record<string, string>>;
  /** The component label of each workload, by the value of its `cdk8s.io/metadata.addr` label. */
  readonly components: ReadonlyMap<string, string>;
  /** The name suffix of an object of the chart. */
  suffixOf(object: ApiObject): string;
  /**
   * Collects every token that reaches the object's template.
   * @default not collected
   */
  readonly used?: Set<Token>;
}

type Path = readonly FieldPathSegment[];

/**
 * Builds the template tree of an object from its `toJson()`: tokens become scalar or block nodes,
 * metadata becomes release-scoped (name, namespace, labels, hook annotations), cdk8s-plus's
 * path-derived selector label becomes the chart's selector labels, and `Template` field overrides
 * are applied. Throws HelmSynthError naming the object and the field at fault.
 */
export function buildTree(json: Record<string, unknown>, overrides: readonly FieldOverride[], context: TreeContext): MapNode {
  const builder = new TreeBuilder(context);
  const root: MapNode = { kind: 'map', entries: [] };
  for (const [key, value] of Object.entries(json)) {
    root.entries.push({ kind: 'field', key, value: key === 'metadata' ? builder.metadata(value) : builder.node(value, [key]) });
  }
  const schema = SchemaCursor.forKind(String(json.apiVersion), String(json.kind));
  const pathSchema = schemaCoversRange(context.chart.metadata.kubeVersion) ? schema : SchemaCursor.forKind('', '');
  for (const override of overrides) {
    const problem = checkFieldPath(pathSchema, override.path, override.operation);
    if (problem)
      throw new HelmSynthError(
        context.where,
        `Template.of(${override.setOn}).${overrideName(override)}(${describeValue(override.text)}): ${problem}`,
      );
    builder.apply(root, override);
  }
  if (context.kind === 'HorizontalPodAutoscaler') checkReplicaBounds(root, context.chart);
  checkContainerNames(root, context);
  checkListKeys(root, schema, (path, message) => {
    throw new HelmSynthError(context.where, `${pathText(path)}: ${message}`);
  });
  return root;
}

/** What building the trees of a chart's objects needs to know beyond each object. */
export interface ChartTreeContext {
  /** The chart being synthesized. */
  readonly chart: HelmChart;
  /** The chart objects each object's pod reads (for checksum annotations). */
  readonly reads: PodReads;
  /** The component label of each workload, by the value of its `cdk8s.io/metadata.addr` label. */
  readonly components: ReadonlyMap<string, string>;
  /** How tokens resolve in this chart (its name and how collection named its objects). */
  readonly resolve: ResolveContext;
  /** Collects the Pod Security Standards warnings of each object's default render. */
  readonly warnings: Problem[];
  /** Collects every token that reaches a template. */
  readonly used: Set<Token>;
}

/**
 * The tree of a collected object, where its markers become typed nodes (`buildTree`), with its
 * checksum annotations; its default render is checked against the Pod Security Standards
 * (warnings). A CustomResourceDefinition's tree is its plain JSON: crds/ is not rendered.
 */
export function objectTree(entry: ChartObject, context: ChartTreeContext): MapNode {
  if (entry.kind === CRD_KIND) return crdTree(entry);
  const { chart, resolve } = context;
  const tree = buildTree(entry.json, entry.settings.overrides, {
    chart,
    object: entry.object,
    where: entry.owner.node.path,
    kind: entry.kind,
    component: entry.component,
    fixedName: entry.settings.fixedName,
    hookAnnotations: entry.hook?.annotations,
    components: context.components,
    suffixOf: (object) => resolve.names?.get(object)?.suffix ?? nameSuffixOf(object, chart),
    used: context.used,
  });
  addChecksums(tree, entry, context.reads.get(entry) ?? [], chart);
  const condition = entry.settings.renderCondition;
  if (condition && !condition.preview()) return tree;
  let preview: Record<string, unknown> | undefined;
  const defaultRender = () => (preview ??= previewTree(tree, resolve));
  const [problem] = defaultRenderKeyProblems(tree, SchemaCursor.forKind(entry.apiVersion, entry.kind), defaultRender);
  if (problem) throw new HelmSynthError(entry.owner.node.path, problem);
  if (POD_SPEC_PATHS[entry.kind]) {
    for (const violation of checkPodSecurity(defaultRender())) {
      context.warnings.push({
        constructPath: entry.owner.node.path,
        message: `with default values, breaks the Pod Security Standard "${violation.level}" (${violation.rule}) at ${violation.field}: ${violation.message}`,
      });
    }
  }
  return tree;
}

/** A CustomResourceDefinition goes to crds/, which Helm installs before the templates and never renders: plain YAML, no tokens. */
function crdTree(entry: ChartObject): MapNode {
  const where = entry.owner.node.path;
  if (entry.hook || entry.settings.renderCondition || entry.settings.overrides.length) {
    throw new HelmSynthError(
      where,
      'a CustomResourceDefinition goes to crds/, which Helm does not render: it cannot be a hook, be switched by a value or have field overrides',
    );
  }
  if (hasToken(JSON.stringify(entry.json))) {
    throw new HelmSynthError(
      where,
      'a CustomResourceDefinition goes to crds/, which Helm does not render: it cannot hold value, release or name tokens (give it a literal metadata.name <plural>.<group>)',
    );
  }
  const problem = crdNameProblem(entry.json);
  if (problem) throw new HelmSynthError(where, problem);
  const invalid = firstNonJsonLeaf(entry.json, []);
  if (invalid) {
    throw new HelmSynthError(
      where,
      `${pathText(invalid.path)}: ${describeValue(invalid.value)} is not a JSON value (crds/ holds the object as it is: a list holds no null or undefined, a number is finite)`,
    );
  }
  return jsonNode(entry.json) as MapNode;
}

/** The first leaf of a tree that YAML cannot hold as JSON: undefined (a null in a list, as collected), a function, a non-finite number. */
function firstNonJsonLeaf(value: unknown, path: Path): { readonly path: Path; readonly value: unknown } | undefined {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = firstNonJsonLeaf(item, [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = firstNonJsonLeaf(item, [...path, key]);
      if (found) return found;
    }
    return undefined;
  }
  const json =
    value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
  return json ? undefined : { path, value };
}

/**
 * What is wrong with a CustomResourceDefinition's names, as the API server checks them: its name is
 * `<spec.names.plural>.<spec.group>`, the plural a DNS-1123 label, the group a DNS-1123 subdomain
 * with at least one dot, the whole at most 253 characters.
 */
function crdNameProblem(json: Record<string, unknown>): string | undefined {
  const name = jsonAt(json, ['metadata', 'name']);
  const group = jsonAt(json, ['spec', 'group']);
  const plural = jsonAt(json, ['spec', 'names', 'plural']);
  if (typeof plural !== 'string' || !isDnsLabel(plural))
    return `spec.names.plural ${describeValue(plural)} must be a lower-case DNS-1123 label of at most 63 characters`;
  if (typeof group !== 'string' || !isDnsSubdomain(group) || !group.includes('.'))
    return `spec.group ${describeValue(group)} must be a DNS-1123 subdomain with at least one dot, such as example.com`;
  const expected = `${plural}.${group}`;
  if (name !== expected) return `metadata.name ${describeValue(name)} must be <spec.names.plural>.<spec.group>: ${describeValue(expected)}`;
  if (!isDnsSubdomain(expected))
    return `metadata.name ${describeValue(expected)} is longer than the 253 characters of a DNS-1123 subdomain`;
  return undefined;
}

/**
 * A HorizontalPodAutoscaler whose `minReplicas` or `maxReplicas` reads a value (cdk8s-plus compares
 * them only as literals): `minReplicas` fails the render, naming both, when it is the greater.
 */
function checkReplicaBounds(root: MapNode, chart: HelmChart): void {
  const spec = fieldOf(root, 'spec')?.value;
  const min = spec?.kind === 'map' ? fieldOf(spec, 'minReplicas') : undefined;
  const max = spec?.kind === 'map' ? fieldOf(spec, 'maxReplicas') : undefined;
  if (!min || !max) return;
  const bounds = [replicaBound(min, chart), replicaBound(max, chart)];
  if (!bounds[0] || !bounds[1] || (bounds[0].literal && bounds[1].literal)) return;
  min.value = { kind: 'scalar', parts: [checkedMinReplicas(bounds[0], bounds[1], chart)], stringField: false };
}

/**
 * A container and an init container of one pod spec may not share a name (Kubernetes validates
 * names across both lists; duplicates within one list are list-map keys, `list-keys.ts`). Only
 * literal names of items written in every case are compared.
 */
function checkContainerNames(root: MapNode, context: TreeContext): void {
  let node: TemplateNode | undefined = root;
  for (const key of POD_SPEC_PATHS[context.kind] ?? []) node = node?.kind === 'map' ? fieldOf(node, key)?.value : undefined;
  if (node?.kind !== 'map' || !POD_SPEC_PATHS[context.kind]) return;
  const spec = node;
  const namesOf = (list: string): string[] => {
    const items = fieldOf(spec, list)?.value;
    if (items?.kind !== 'list') return [];
    return items.items.flatMap((item) => {
      const name = item.kind === 'item' && item.value.kind === 'map' ? fieldOf(item.value, 'name')?.value : undefined;
      return name?.kind === 'literal' && typeof name.value === 'string' ? [name.value] : [];
    });
  };
  const containers = new Set(namesOf('containers'));
  const shared = namesOf('initContainers').find((name) => containers.has(name));
  if (shared !== undefined) {
    const at = pathText([...POD_SPEC_PATHS[context.kind], 'initContainers']);
    throw new HelmSynthError(
      context.where,
      `${at}: init container name ${describeValue(shared)} is also a container's name; Kubernetes requires one name per container across containers and initContainers`,
    );
  }
}

function replicaBound(field: FieldEntry, chart: HelmChart): (ReplicaBound & { literal: boolean }) | undefined {
  const node = field.value;
  if (node.kind === 'literal' && typeof node.value === 'number')
    return { name: field.key, expression: String(node.value), preview: node.value, literal: true };
  const token = node.kind === 'scalar' && node.parts.length === 1 ? node.parts[0] : undefined;
  const value = typeof token === 'object' && token.use === TokenUse.INTEGER ? valueOf(chart, token) : undefined;
  return value && { name: value.path, expression: value.expression, preview: value.default, literal: false };
}

function overrideName(override: FieldOverride): string {
  return override.operation === FieldOperation.SET && override.condition ? 'setIf' : override.operation;
}

class TreeBuilder {
  private readonly schema: SchemaCursor;

  constructor(private readonly context: TreeContext) {
    this.schema = SchemaCursor.forKind(context.object.apiVersion, context.kind);
  }

  private fail(path: Path, message: string): never {
    throw new HelmSynthError(this.context.where, `${path.length ? `${pathText(path)}: ` : ''}${message}`);
  }

  public node(value: unknown, path: Path): TemplateNode {
    if (typeof value === 'string') return this.text(value, path);
    if ((typeof value === 'number' && classifyNumber(value).kind === NumberKind.PLAIN) || typeof value === 'boolean') {
      if (isStringField(path, this.context.kind)) return this.text(String(value), path);
    }
    if (typeof value === 'number') return this.number(value, path);
    if (typeof value === 'boolean' || value === null) return literal(value);
    if (Array.isArray(value)) return this.list(value, path);
    if (typeof value === 'object') return this.map(value as Record<string, unknown>, path);
    return this.fail(path, `${describeValue(value)} is not a JSON value`);
  }

  private list(items: readonly unknown[], path: Path): ListNode {
    const result: ListItem[] = [];
    items.forEach((item, i) => {
      const token = wholeToken(item);
      if (token?.use === TokenUse.LIST) result.push({ kind: 'splice', token: this.checked(token, [...path, i]) });
      else result.push({ kind: 'item', value: this.node(item, [...path, i]) });
    });
    return { kind: 'list', items: result };
  }

  private map(json: Record<string, unknown>, path: Path): MapNode {
    const entries: MapEntry[] = [];
    for (const [key, value] of Object.entries(json)) {
      this.checkKey(key, path);
      if (key === CDK8S_SELECTOR_LABEL) {
        entries.push(...this.selector(value, [...path, key]));
        continue;
      }
      entries.push({ kind: 'field', key, value: this.node(value, [...path, key]) });
    }
    return { kind: 'map', entries };
  }

  /** cdk8s-plus's selector label: the chart's selector labels and the selected workload's component instead. */
  private selector(value: unknown, path: Path): MapEntry[] {
    const component = typeof value === 'string' ? this.context.components.get(value) : undefined;
    if (component === undefined) {
      this.fail(
        path,
        `selects pods by ${CDK8S_SELECTOR_LABEL}=${describeValue(value)}, which is no workload of chart ${this.context.chart.chartName}; a chart selects only its own pods`,
      );
    }
    return [
      { kind: 'field', key: 'app.kubernetes.io/component', value: literal(component) },
      { kind: 'include', template: helperName(this.context.chart.chartName, 'selectorLabels') },
    ];
  }

  private number(value: number, path: Path): TemplateNode {
    if (!Number.isFinite(value)) this.fail(path, `${value} is not a finite number`);
    const { kind, token } = classifyNumber(value);
    if (kind === NumberKind.PLAIN) return literal(value);
    if (kind === NumberKind.RESERVED) this.fail(path, computedFromToken(String(value)));
    return this.scalar([token!], path, String(value));
  }

  private text(text: string, path: Path): TemplateNode {
    if (hasLoneSurrogate(text)) this.fail(path, `${describeValue(text)} holds a lone UTF-16 surrogate, which cannot be written as UTF-8`);
    let parts = splitTokens(text);
    for (const part of parts ?? [text]) {
      const computed = typeof part === 'string' ? part.match(PRINTED_HUGE_NUMBER) : null;
      if (computed) this.fail(path, computedFromToken(computed[0]));
    }
    if (!parts) {
      const problem = nameProblem(path, this.context.kind, text);
      if (problem) this.fail(path, problem);
      return literal(text);
    }
    if (isVolumeName(path)) {
      parts = this.podLocalName(parts, path);
      if (parts.every((p) => typeof p === 'string')) return literal(this.checkVolumeName(parts.join(''), path));
    }
    return this.scalar(parts, path, text, true);
  }

  /** `fromText`: the construct wrote a string, so a number token that is all of it still renders as a string. */
  private scalar(parts: TextPart[], path: Path, text: string, fromText = false): TemplateNode {
    for (const part of parts) if (typeof part !== 'string') this.checked(part, path);
    if (parts.length === 1 && typeof parts[0] !== 'string') this.narrow(parts[0], path);
    if (parts.length === 1 && typeof parts[0] !== 'string' && (parts[0].use === TokenUse.MAP || parts[0].use === TokenUse.LIST)) {
      if (isScalarField(path, this.context.object) || isStringField(path, this.context.kind))
        this.fail(
          path,
          `${parts[0].description} is a ${parts[0].use}, but this field holds one ${isStringField(path, this.context.kind) ? 'string' : 'scalar'}: use a string, number or boolean value`,
        );
      return { kind: 'block', token: parts[0] };
    }
    for (const part of parts) {
      if (typeof part !== 'string' && (part.use === TokenUse.MAP || part.use === TokenUse.LIST)) {
        this.fail(path, `${part.description} is a ${part.use} and cannot be part of the string ${describeText(text)}`);
      }
    }
    const inStringMap = this.schema.walk(path.slice(0, -1))?.isScalarMap;
    const printedNumber = fromText && parts.length === 1 && typeof parts[0] !== 'string' && isNumberUse(parts[0].use);
    return { kind: 'scalar', parts, stringField: isStringField(path, this.context.kind) || inStringMap === true || printedNumber };
  }

  /** Makes the value behind a token fit the field it is used in (int32 bounds, string entries). */
  private narrow(token: Token, path: Path): void {
    try {
      narrowForField(this.context.chart, token, path, this.context.object);
    } catch (error) {
      if (!HelmSynthError.isHelmSynthError(error)) throw error;
      this.fail(path, error.problems[0].message);
    }
  }

  /** A token this chart may use here: its own (or a release field), and a secret only in a Secret's stringData. */
  private checked(token: Token, path: Path): Token {
    const chart = this.context.chart;
    if (token.owner && token.owner !== chart) {
      const otherApp = (token.owner as unknown as HelmChart).node.root !== chart.node.root;
      this.fail(
        path,
        `${token.description} belongs to chart ${token.owner.node.path}${otherApp ? ' of another app' : ''}; chart ${chart.node.path} can only use its own values and objects (declare the value on this chart, or pass a literal)`,
      );
    }
    if (token.secret && !(this.context.kind === 'Secret' && path[0] === 'stringData')) {
      this.fail(path, `${token.description} is a secret: use it only in a Secret's stringData, and read it from pods through secretKeyRef`);
    }
    this.context.used?.add(token);
    return token;
  }

  /** Volume names are local to the pod: a resource name in one (cdk8s-plus's `configmap-<name>`) becomes the resource's suffix. */
  private podLocalName(parts: TextPart[], path: Path): TextPart[] {
    return parts.map((part) => {
      if (typeof part === 'string' || !NameToken.isNameToken(part)) return part;
      this.checked(part, path);
      return this.context.suffixOf(part.object) || this.context.chart.chartName;
    });
  }

  private checkVolumeName(name: string, path: Path): string {
    if (!isDnsLabel(name))
      this.fail(
        path,
        `volume name ${describeValue(name)} must be a DNS-1123 label of at most 63 characters; give the volume a name (e.g. Volume.fromConfigMap(scope, id, configMap, { name: 'config' }))`,
      );
    return name;
  }

  private checkKey(key: string, path: Path): void {
    if (splitTokens(key)) this.fail([...path, key], `a token (${describeText(key)}) cannot be used as a map key`);
    if (hasLoneSurrogate(key)) this.fail(path, `key ${describeValue(key)} holds a lone UTF-16 surrogate`);
    const problem = dataKeyProblem(path, this.context.kind, key) ?? metadataKeyProblem(path, this.context.kind, key);
    if (problem) this.fail([...path, key], problem);
  }

  /** Release-scoped metadata: name, namespace, the chart's labels and the hook annotations. */
  public metadata(json: unknown): MapNode {
    const { kind, chart, component, hookAnnotations } = this.context;
    const metadata = (json ?? {}) as Record<string, unknown>;
    const { name, namespace, labels, annotations, ...rest } = metadata;
    const entries: MapEntry[] = [{ kind: 'field', key: 'name', value: this.name(name) }];
    if (CLUSTER_SCOPED_KINDS.has(kind)) {
      if (namespace !== undefined)
        this.fail(['metadata', 'namespace'], `${kind} is cluster-scoped and has no namespace, got ${describeText(namespace)}`);
    } else {
      entries.push({
        kind: 'field',
        key: 'namespace',
        value:
          namespace === undefined
            ? this.text(Release.namespace, ['metadata', 'namespace'])
            : this.node(namespace, ['metadata', 'namespace']),
      });
    }
    const userLabels = { ...(labels as Record<string, unknown> | undefined) };
    delete userLabels[CDK8S_SELECTOR_LABEL];
    for (const label of STANDARD_LABELS) {
      if (label in userLabels)
        this.fail(
          ['metadata', 'labels', label],
          `${describeText(userLabels[label])} is set by the chart's labels helper; remove it from the construct`,
        );
    }
    const labelEntries: MapEntry[] = [
      { kind: 'field', key: 'app.kubernetes.io/component', value: literal(component) },
      ...this.map(userLabels, ['metadata', 'labels']).entries,
      { kind: 'include', template: helperName(chart.chartName, 'labels') },
    ];
    entries.push({ kind: 'field', key: 'labels', value: { kind: 'map', entries: labelEntries } });
    const annotationEntries = this.map({ ...(annotations as Record<string, unknown> | undefined) }, ['metadata', 'annotations']).entries;
    for (const [key, value] of Object.entries(hookAnnotations ?? {})) {
      if (annotationEntries.some((e) => e.kind === 'field' && e.key === key)) {
        this.fail(['metadata', 'annotations', key], 'is written by Hook; set it through Hook.apply, not by hand');
      }
      annotationEntries.push({ kind: 'field', key, value: literal(value) });
    }
    if (annotationEntries.length) entries.push({ kind: 'field', key: 'annotations', value: { kind: 'map', entries: annotationEntries } });
    for (const [key, value] of Object.entries(rest)) entries.push({ kind: 'field', key, value: this.node(value, ['metadata', key]) });
    return { kind: 'map', entries };
  }

  private name(name: unknown): TemplateNode {
    const { object, fixedName } = this.context;
    const token = wholeToken(name);
    const generated = NameToken.isNameToken(token) && token.object === object;
    if (generated) {
      if (fixedName) this.fail(['metadata', 'name'], 'fixedName() keeps an explicit metadata.name, but the construct gives none');
      return this.text(name as string, ['metadata', 'name']);
    }
    if (typeof name !== 'string' || name === '') this.fail(['metadata', 'name'], `${describeValue(name)} is not a name`);
    if (fixedName && !splitTokens(name)) {
      const rule = objectNameRule(this.context.kind);
      if (!rule.test(name))
        this.fail(
          ['metadata', 'name'],
          `fixedName() keeps ${describeValue(name)}, but a ${this.context.kind} name must be ${rule.expected}`,
        );
    }
    if (splitTokens(name) || fixedName) return this.text(name, ['metadata', 'name']);
    return this.fail(
      ['metadata', 'name'],
      `${describeValue(name)} is given explicitly: helm-synth names objects <fullname>-<suffix> so that two releases never collide, and references follow; remove it and use Template.of(x).nameSuffix(${describeValue(isDnsLabel(name, 40) ? name : 'my-suffix')}), or keep it with Template.of(x).fixedName()`,
    );
  }

  /** Applies one `Template` field override to the tree (`apply-override.ts`). */
  public apply(root: MapNode, override: FieldOverride): void {
    const { operation } = override;
    const fail = (message: string): never =>
      this.fail(
        [],
        `Template.of(${override.setOn}).${operation === FieldOperation.SET && override.condition ? 'setIf' : operation}(${describeValue(override.text)}): ${message}`,
      );
    if (operation !== FieldOperation.REMOVE) {
      override.path.forEach((segment, i) => {
        const before = override.path.slice(0, i);
        const problem =
          typeof segment === 'string'
            ? (dataKeyProblem(before, this.context.kind, segment) ?? metadataKeyProblem(before, this.context.kind, segment))
            : undefined;
        if (problem) fail(`${pathText(override.path.slice(0, i + 1))}: ${problem}`);
      });
    }
    applyOverride(root, override, {
      convert: (value, path) => this.node(value, path),
      check: (token, path) => {
        this.checked(token, path);
        this.narrow(token, path);
      },
      fail,
      pathText,
    });
  }
}

function computedFromToken(printed: string): string {
  return `${printed} is no number Kubernetes takes: it is computed from a number token (arithmetic such as value.asNumber() * 2, or Duration.minutes(value.asNumber()), which converts to seconds); pass the token itself, e.g. Duration.seconds(value.asNumber())`;
}

/** `spec.containers[0].env` */
export function pathText(path: Path): string {
  return path.reduce<string>(
    (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment),
    '',
  );
}

/** Fields Kubernetes types as strings, where a number or boolean token must be printed and quoted. */
function isStringField(path: Path, kind: string): boolean {
  const n = path.length;
  const last = path[n - 1];
  const parent = path[n - 2];
  if (typeof last === 'string' && typeof parent === 'string') {
    if (STRING_MAP_FIELDS.has(parent)) return true;
    if (n === 2 && parent === 'data' && (kind === 'ConfigMap' || kind === 'Secret')) return true;
    if (n === 3 && path[0] === 'spec' && parent === 'selector' && kind === 'Service') return true;
  }
  if (last === 'value' && typeof parent === 'number' && path[n - 3] === 'env') return true;
  return typeof last === 'number' && (parent === 'command' || parent === 'args');
}

function isVolumeName(path: Path): boolean {
  const n = path.length;
  return path[n - 1] === 'name' && typeof path[n - 2] === 'number' && (path[n - 3] === 'volumes' || path[n - 3] === 'volumeMounts');
}

function isNumberUse(use: TokenUse): boolean {
  return use === TokenUse.INTEGER || use === TokenUse.NUMBER;
}
