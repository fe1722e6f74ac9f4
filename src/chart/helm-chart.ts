import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { checkText, isDnsLabel, optionalText } from '../tokens/checks';
import { describeText, hasToken } from '../tokens/token';
import { Values } from '../values/values';
import { BooleanValue, JsonValue, Value, ValueType } from '../values/value';
import { ValuesOf } from '../values/value-spec';
import {
  ChartEnvironment,
  ChartOverrides,
  checkEnvironmentName,
  DependencyValues,
  environmentFileName,
  EnvironmentValues,
} from './environment';
import { ChartName, chartName, SemVer, semVer, SemVerRange, semVerRange } from './chart-metadata';
import { NameToken } from './resource-naming';
import { ownedObject } from './template';

/** Whether a chart installs resources or only provides named templates. */
export enum ChartType {
  /** A chart that installs resources (the default). */
  APPLICATION = 'application',
  /** A chart of helpers for other charts; installs nothing. */
  LIBRARY = 'library',
}

/** A person who maintains the chart. */
export interface ChartMaintainer {
  /** Name. */
  readonly name: string;
  /** E-mail address. @default none */
  readonly email?: string;
  /** Web page. @default none */
  readonly url?: string;
}

/** A chart this chart depends on (Chart.yaml `dependencies`). */
export interface ChartDependency {
  /** The dependency's chart name. */
  readonly name: string;
  /** A version or SemVer range, e.g. `10.8.0` or `~17.1.0`. */
  readonly version: string;
  /** Chart repository URL (`https://...` or `oci://...`). */
  readonly repository: string;
  /** Key its values live under and name it is known by. @default its name */
  readonly alias?: string;
  /** Values path of a boolean that enables it. @default always enabled */
  readonly condition?: string;
  /** Tags that enable it. @default none */
  readonly tags?: readonly string[];
}

/** How a chart of this app is added as a dependency (`addChartDependency(otherChart, values, options)`). */
export interface HelmChartDependencyOptions<A extends string = string> {
  /**
   * Key its values live under and name it is known by, for a chart added twice. The chart
   * `addChartDependency` returns types an environment's values under this key.
   * @default its chart name
   */
  readonly alias?: A;
  /**
   * A boolean value of this chart that enables it (Chart.yaml `condition`). A value of the parent,
   * not `<key>.enabled`: the dependency's schema refuses keys it does not declare, and Helm hands
   * it every key under its own.
   * @default always enabled
   */
  readonly condition?: BooleanValue;
}

/** A dependency on another chart of the same app, with the values this chart gives it. */
export interface LocalChartDependency {
  /** The key its values live under in this chart's values (alias or name). */
  readonly key: string;
  /** The chart. */
  readonly chart: HelmChart<any>;
  /** The values this chart gives it (under `key` in values.yaml). */
  readonly values: EnvironmentValues;
}

/** The fixed release name and namespace a chart is installed under. */
export interface ChartInstall {
  /** Release name (a DNS-1123 label of at most 53 characters). */
  readonly releaseName: string;
  /** Namespace (a DNS-1123 label). */
  readonly namespace: string;
}

/**
 * Former name of `ChartInstall`.
 * @deprecated Use `ChartInstall` (a nested struct, not a construct's props, is named for what it is). Kept for one minor version.
 */
export type ChartInstallProps = ChartInstall;

/** Chart.yaml metadata and chart-wide settings. */
export interface HelmChartProps {
  /** Chart name (DNS-1123 label). @default the construct id */
  readonly name?: string;
  /** Chart version, SemVer 2. */
  readonly version: string;
  /**
   * Version of the application the chart deploys. The `app.kubernetes.io/version` label carries it
   * with characters a label cannot hold replaced by `_`.
   * @default none
   */
  readonly appVersion?: string;
  /** One-line description. @default none */
  readonly description?: string;
  /** Chart type. @default ChartType.APPLICATION */
  readonly type?: ChartType;
  /** SemVer range of Kubernetes versions the chart supports, e.g. `>=1.27.0-0`. @default none */
  readonly kubeVersion?: string;
  /** Search keywords. @default none */
  readonly keywords?: readonly string[];
  /** Project home page. @default none */
  readonly home?: string;
  /** Source code URLs. @default none */
  readonly sources?: readonly string[];
  /** Maintainers. @default none */
  readonly maintainers?: readonly ChartMaintainer[];
  /** Icon URL. @default none */
  readonly icon?: string;
  /** Chart.yaml annotations. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Text appended to NOTES.txt. Literal text is printed as written; value and release tokens in it
   * (`${host}`, `${Release.name}`) print their value.
   * @default none
   */
  readonly notes?: string;
  /**
   * The release name and namespace of the README's install command, for a chart that must be
   * installed under fixed names (other releases reach it by them).
   * @default release my-release in namespace my-namespace
   */
  readonly install?: ChartInstall;
}

/** Chart.yaml content as checked at construction. */
export interface ChartMetadata {
  /** `name`: the chart name (DNS-1123 label). */
  readonly name: ChartName;
  /** `version`: the chart version (SemVer 2). */
  readonly version: SemVer;
  /** `appVersion`: the version of the app the chart installs. */
  readonly appVersion?: string;
  /** `description`: one line on what the chart installs. */
  readonly description?: string;
  /** `type`: application or library. */
  readonly type: ChartType;
  /** `kubeVersion`: the Kubernetes versions the chart supports. */
  readonly kubeVersion?: SemVerRange;
  /** `keywords`. */
  readonly keywords: readonly string[];
  /** `home`: the project's home page. */
  readonly home?: string;
  /** `sources`: URLs of the source code. */
  readonly sources: readonly string[];
  /** `maintainers`. */
  readonly maintainers: readonly ChartMaintainer[];
  /** `icon`: URL of an SVG or PNG image. */
  readonly icon?: string;
  /** `annotations`. */
  readonly annotations: Readonly<Record<string, string>>;
}

const HELM_CHART = Symbol.for('helm-synth.HelmChart');

/**
 * A Helm chart: a cdk8s `Chart` whose objects synthesize to the templates of one chart directory,
 * `dist/<name>/`, with typed values (`chart.values`) and release-scoped names and labels.
 *
 * `V`, when given, is the TypeScript type of the chart's values (`ValuesOf<typeof shape>` of the
 * shape given to `chart.values.define`, or any interface, such as one `helm-synth types` wrote):
 * `environment(...)` and a parent's `addChartDependency(thisChart, ...)` are then type-checked
 * against it. Synthesis checks the same values against values.schema.json either way.
 */
export class HelmChart<V = any> extends Chart {
  /** Whether a construct is a HelmChart (of any copy of the library). */
  public static isHelmChart(x: unknown): x is HelmChart {
    return typeof x === 'object' && x !== null && HELM_CHART in x;
  }

  /** The HelmChart a construct belongs to: its nearest enclosing one (the construct itself when it is one). */
  public static override of(construct: IConstruct): HelmChart {
    const chart = construct.node.scopes.slice().reverse().find(HelmChart.isHelmChart);
    if (!chart) throw new HelmSynthError(construct.node.path, 'is not inside a HelmChart');
    return chart;
  }

  /**
   * Same as {@link HelmChart.of}.
   * @deprecated Use `HelmChart.of`, which now returns the HelmChart. Kept for one minor version.
   */
  public static helmChartOf(construct: IConstruct): HelmChart {
    return HelmChart.of(construct);
  }

  /** Checked Chart.yaml metadata. */
  public readonly metadata: ChartMetadata;
  /** The chart's values: declare them here. */
  public readonly values: Values;
  private readonly notesText: string[] = [];
  /** The fixed release name and namespace, when the chart has them. */
  public readonly install?: ChartInstall;
  private readonly chartDependencyList: ChartDependency[] = [];
  private readonly extraReadme: string[] = [];
  private readonly chartEnvironments = new Map<string, ChartEnvironment>();
  private readonly localDependencies: LocalChartDependency[] = [];
  /** Type-level only (never set): the type of the chart's values. */
  declare public readonly '~chartValues'?: V;

  constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    Object.defineProperty(this, HELM_CHART, { value: true });
    try {
      const where = this.node.path;
      if (!props || typeof props !== 'object') throw new HelmSynthError(where, 'HelmChart needs props with at least a version');
      this.metadata = {
        name: chartName(props.name ?? id, where),
        version: semVer(props.version, where),
        appVersion: literalText(props.appVersion, 'appVersion', where),
        description: literalText(props.description, 'description', where),
        type: checkType(props.type ?? ChartType.APPLICATION, where),
        kubeVersion: props.kubeVersion === undefined ? undefined : semVerRange(props.kubeVersion, where),
        keywords: stringList(props.keywords, 'keywords', where),
        home: optionalUrl(props.home, 'home', where),
        sources: stringList(props.sources, 'sources', where).map((url) => optionalUrl(url, 'sources', where)!),
        maintainers: checkMaintainers(props.maintainers, where),
        icon: optionalUrl(props.icon, 'icon', where),
        annotations: checkAnnotations(props.annotations, where),
      };
      if (props.notes !== undefined) this.addNotes(props.notes);
      this.install = props.install && {
        releaseName: dnsLabel(props.install.releaseName, 'install.releaseName', 53, where),
        namespace: dnsLabel(props.install.namespace, 'install.namespace', 63, where),
      };
    } catch (error) {
      // A chart whose props were refused leaves no half-made chart behind for a later synth() to trip on.
      scope.node.tryRemoveChild(id);
      throw error;
    }
    this.values = Values.forOwner(this);
    this.values.string('nameOverride', { default: '', description: 'Replaces the chart name in object names.' });
    this.values.string('fullnameOverride', { default: '', description: 'Replaces the whole release-scoped base name of objects.' });
  }

  /** The chart name. */
  public get chartName(): ChartName {
    return this.metadata.name;
  }

  /** Text appended to NOTES.txt, in the order added (may hold tokens). */
  public get notes(): string | undefined {
    return this.notesText.length ? this.notesText.join('\n\n') : undefined;
  }

  /**
   * Appends text to NOTES.txt, printed after install and upgrade. Literal text is printed as
   * written; tokens of this chart's values and of the release (`${host}`, `${Release.name}`) print
   * their value. Values are declared on the chart, so notes that use them are added here, after.
   */
  public addNotes(text: string): void {
    this.notesText.push(checkText(text, 'notes', this.node.path));
  }

  /** Markdown sections added to README.md, in the order added. */
  public get readmeSections(): readonly string[] {
    return this.extraReadme;
  }

  /** Adds a Markdown section to README.md, after the install command (for constructs that document themselves). */
  public addReadmeSection(markdown: string): void {
    const text = checkText(markdown, 'README section', this.node.path);
    if (hasToken(text))
      throw new HelmSynthError(this.node.path, `README section ${describeText(text)} must be literal text: README.md is not a template`);
    this.extraReadme.push(text);
  }

  /** Dependencies, in the order added. */
  public get dependencies(): readonly ChartDependency[] {
    return this.chartDependencyList;
  }

  /** The dependencies on other charts of this app, in the order added. */
  public get localChartDependencies(): readonly LocalChartDependency[] {
    return this.localDependencies;
  }

  /**
   * Adds another chart of this app as a dependency (an umbrella chart): Chart.yaml names it at its
   * version with the repository `file://../<name>`, the folder synthesis writes beside this one
   * (`helm-synth dependency build` packs it into `charts/`), and `values`, type-checked against its
   * values type, go under its key (alias or name) in values.yaml; synthesis checks them, merged
   * over its defaults, against its values.schema.json.
   */
  public addChartDependency<W, const A extends string = string>(
    chart: HelmChart<W>,
    values?: ChartOverrides<W>,
    options?: HelmChartDependencyOptions<A>,
  ): HelmChart<V & DependencyValues<A, W>>;
  /**
   * Adds a Chart.yaml dependency. Its values key (alias or name) is passed through by the schema,
   * which checks the `properties` given; `values` are written under that key in values.yaml.
   */
  public addChartDependency(dependency: ChartDependency, values?: { [key: string]: JsonValue }, properties?: Record<string, unknown>): this;
  public addChartDependency(
    dependency: ChartDependency | HelmChart<any>,
    values: { [key: string]: JsonValue } = {},
    third: Record<string, unknown> | HelmChartDependencyOptions = {},
  ): HelmChart<any> {
    if (HelmChart.isHelmChart(dependency)) this.addLocalDependency(dependency, values, (third ?? {}) as HelmChartDependencyOptions);
    else this.addRepositoryDependency(dependency, values, third as Record<string, unknown>);
    return this;
  }

  private addLocalDependency(chart: HelmChart<any>, values: EnvironmentValues, options: HelmChartDependencyOptions): void {
    const where = this.node.path;
    if (chart === this) throw new HelmSynthError(where, 'a chart cannot depend on itself');
    if (chart.node.root !== this.node.root) {
      throw new HelmSynthError(
        where,
        `chart ${chart.node.path} belongs to another app: its folder is not written beside this chart's; add it with a ChartDependency naming its repository`,
      );
    }
    const cycle = (from: HelmChart<any>, seen: readonly HelmChart<any>[]): HelmChart<any>[] | undefined => {
      if (from === this) return [...seen, from];
      for (const next of from.localChartDependencies) {
        const found = cycle(next.chart, [...seen, from]);
        if (found) return found;
      }
      return undefined;
    };
    const loop = cycle(chart, [this]);
    if (loop) throw new HelmSynthError(where, `dependency cycle: ${loop.map((c) => c.chartName).join(' -> ')}; Helm cannot build it`);
    if (
      options.condition !== undefined &&
      (!Value.isValue(options.condition) || options.condition.owner !== this || options.condition.type !== ValueType.BOOLEAN)
    ) {
      throw new HelmSynthError(
        where,
        `dependency ${chart.chartName}: condition ${describeValue(options.condition)} must be a boolean value of this chart`,
      );
    }
    this.values.checkJson(values, `for dependency ${chart.chartName}:`);
    const key = options.alias ?? chart.chartName;
    this.addRepositoryDependency(
      {
        name: chart.chartName,
        version: chart.metadata.version,
        repository: `file://../${chart.chartName}`,
        ...(options.alias !== undefined && { alias: options.alias }),
        ...(options.condition !== undefined && { condition: options.condition.path }),
      },
      values,
      {},
      `Values of the ${chart.chartName} chart of this app (version ${chart.metadata.version}), checked against its values.schema.json.`,
    );
    this.localDependencies.push({ key, chart, values: structuredClone(values) });
  }

  private addRepositoryDependency(
    dependency: ChartDependency,
    values: { [key: string]: JsonValue },
    properties: Record<string, unknown>,
    description = `Values of the ${dependency?.name} dependency (chart ${dependency?.name} ${dependency?.version}).`,
  ): void {
    const where = this.node.path;
    for (const field of ['name', 'version', 'repository'] as const) {
      if (typeof dependency?.[field] !== 'string' || dependency[field] === '' || hasToken(dependency[field])) {
        throw new HelmSynthError(where, `dependency ${field} ${describeText(dependency?.[field])} must be a non-empty literal string`);
      }
    }
    for (const [field, text] of [
      ['alias', dependency.alias],
      ['condition', dependency.condition],
      ...(dependency.tags ?? []).map((tag) => ['tag', tag] as const),
    ] as const) {
      if (text !== undefined && (typeof text !== 'string' || text === '' || hasToken(text)))
        throw new HelmSynthError(
          where,
          `dependency ${field} ${describeText(text)} must be a non-empty literal string: Chart.yaml holds no template expressions`,
        );
    }
    if (!isDnsLabel(dependency.name))
      throw new HelmSynthError(where, `dependency name ${describeValue(dependency.name)} must be a chart name (a DNS-1123 label)`);
    if (dependency.alias !== undefined && !/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(dependency.alias)) {
      throw new HelmSynthError(
        where,
        `dependency alias ${describeValue(dependency.alias)} must be letters, digits, '_' and '-', starting with a letter`,
      );
    }
    if (!/^(https?|oci|file):\/\/\S+$/.test(dependency.repository) && !/^@\S+$/.test(dependency.repository)) {
      throw new HelmSynthError(
        where,
        `dependency repository ${describeValue(dependency.repository)} must be an https://, oci:// or file:// URL`,
      );
    }
    const key = dependency.alias ?? dependency.name;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new HelmSynthError(
        where,
        `dependency ${dependency.name}: its values key ${describeValue(key)} (its ${dependency.alias === undefined ? 'name' : 'alias'}) must be letters, digits and '_' to be a key of this chart's values: give it an alias such as ${describeValue(key.replace(/[^A-Za-z0-9_]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase()).replace(/^(?=[0-9])/, '_'))}`,
      );
    }
    if (this.chartDependencyList.some((d) => (d.alias ?? d.name) === key)) {
      throw new HelmSynthError(where, `dependency ${describeValue(key)} is added twice; give one an alias`);
    }
    this.values.allowPassthrough(key, description, values, properties);
    this.chartDependencyList.push({ ...dependency, ...(dependency.tags && { tags: [...dependency.tags] }) });
  }

  /**
   * Declares an environment: `values-<name>.yaml` is written next to the chart's values.yaml with
   * `values`, and synthesis checks them, merged over the defaults as Helm merges them, against the
   * chart's values.schema.json. The README shows its install command (`-f values-<name>.yaml`);
   * `Testing.render(chart, { environment: name })` renders with it. The name is a DNS-1123 label.
   */
  public environment(name: string, values: ChartOverrides<V>): void {
    const where = this.node.path;
    checkEnvironmentName(name, where);
    if (this.chartEnvironments.has(name)) throw new HelmSynthError(where, `environment ${name} is declared twice`);
    if (!values || typeof values !== 'object' || Array.isArray(values)) {
      throw new HelmSynthError(where, `environment ${name}: values ${describeValue(values)} must be a map of values`);
    }
    this.values.checkJson(values, `of environment ${name} (${environmentFileName(name)}):`);
    this.chartEnvironments.set(name, { name, values: structuredClone(values as EnvironmentValues) });
  }

  /**
   * This chart typed by a values tree it declared (what `chart.values.define` returned), for a
   * chart made without a type argument: `environment(...)` and a parent's
   * `addChartDependency(...)` are then type-checked against `ValuesOf<typeof tree>` and the keys
   * every chart holds. Values declared outside the tree (by path) are not in that type: put them in
   * the tree (`...StandardValues.values(props)`) or give the class a type argument that adds them.
   * Returns this same chart.
   */
  public typed<T>(tree: T): HelmChart<ValuesOf<T>> {
    const leaves: Array<{ at: string; leaf: unknown }> = [];
    const walk = (node: unknown, at: string): void => {
      if (Value.isValue(node) || node === null || typeof node !== 'object') leaves.push({ at, leaf: node });
      else for (const [key, child] of Object.entries(node)) walk(child, at ? `${at}.${key}` : key);
    };
    walk(tree, '');
    const foreign = leaves.find(({ leaf }) => !Value.isValue(leaf) || leaf.owner !== this)?.leaf;
    if (leaves.length === 0 || foreign !== undefined) {
      throw new HelmSynthError(
        this.node.path,
        `typed(tree) takes what this chart's values.define returned; found ${Value.isValue(foreign) ? `value ${foreign.path} of ${foreign.owner.node.path}` : describeValue(foreign ?? tree)}`,
      );
    }
    const moved = leaves.find(({ at, leaf }) => (leaf as Value).path !== at);
    if (moved !== undefined) {
      throw new HelmSynthError(
        this.node.path,
        `typed(tree) takes what this chart's values.define returned, keys as declared: key ${moved.at} holds value ${(moved.leaf as Value).path}, so the type would not be the values'`,
      );
    }
    return this as HelmChart<ValuesOf<T>>;
  }

  /** The environments, in the order declared. */
  public get environments(): readonly ChartEnvironment[] {
    return [...this.chartEnvironments.values()];
  }

  /**
   * The name of a Kubernetes object of this chart (a cdk8s-plus resource, an `ApiObject`, or a
   * construct standing for one), as a string token for use inside other strings such as URLs.
   */
  public resourceName(resource: IConstruct): string {
    const object = resource && typeof resource === 'object' && 'node' in resource ? ownedObject(resource) : undefined;
    if (!object || HelmChart.of(object) !== this) {
      throw new HelmSynthError(resource?.node?.path ?? 'resourceName', `is not a Kubernetes object of chart ${this.chartName}`);
    }
    return object.name;
  }

  /** cdk8s's naming extension point: every object of the chart is named by a release-scoped name token. */
  public override generateObjectName(apiObject: ApiObject): string {
    return NameToken.of(apiObject, this).marker;
  }
}

function literalText(value: unknown, field: string, where: string): string | undefined {
  const text = optionalText(value, field, where);
  if (text !== undefined && hasToken(text))
    throw new HelmSynthError(where, `${field} ${describeText(text)} must be literal text: Chart.yaml holds no template expressions`);
  if (text !== undefined && /[\r\n\u0085\u2028\u2029]/.test(text))
    throw new HelmSynthError(where, `${field} ${describeValue(text)} must be one line`);
  return text;
}

function dnsLabel(value: unknown, field: string, maxLength: number, where: string): string {
  if (typeof value !== 'string' || !isDnsLabel(value, maxLength)) {
    throw new HelmSynthError(where, `${field} ${describeValue(value)} must be a DNS-1123 label of at most ${maxLength} characters`);
  }
  return value;
}

function optionalUrl(value: unknown, field: string, where: string): string | undefined {
  const text = literalText(value, field, where);
  if (text !== undefined && !/^https?:\/\/\S+$/.test(text))
    throw new HelmSynthError(where, `${field} ${describeValue(text)} must be an http(s) URL`);
  return text;
}

function stringList(value: unknown, field: string, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new HelmSynthError(where, `${field} ${describeValue(value)} must be a list of strings`);
  return value.map((item) => literalText(item, field, where) ?? literalText('', field, where)!);
}

function checkType(type: unknown, where: string): ChartType {
  if (!Object.values(ChartType).includes(type as ChartType))
    throw new HelmSynthError(where, `chart type ${describeValue(type)} must be application or library`);
  return type as ChartType;
}

function checkMaintainers(maintainers: unknown, where: string): ChartMaintainer[] {
  if (maintainers === undefined) return [];
  if (!Array.isArray(maintainers))
    throw new HelmSynthError(where, `maintainers ${describeValue(maintainers)} must be a list of { name, email, url }`);
  return maintainers.map((maintainer: ChartMaintainer) => {
    if (!maintainer || typeof maintainer !== 'object')
      throw new HelmSynthError(where, `maintainer ${describeValue(maintainer)} must be { name, email, url }`);
    const name = literalText(maintainer.name, 'maintainer name', where);
    if (name === undefined) throw new HelmSynthError(where, `maintainer ${describeValue(maintainer)} needs a name`);
    const email = literalText(maintainer.email, 'maintainer email', where);
    if (email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(email))
      throw new HelmSynthError(where, `maintainer email ${describeValue(email)} is not an e-mail address`);
    const url = optionalUrl(maintainer.url, 'maintainer url', where);
    return { name, ...(email && { email }), ...(url && { url }) };
  });
}

function checkAnnotations(annotations: unknown, where: string): Record<string, string> {
  if (annotations === undefined) return {};
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) {
    throw new HelmSynthError(where, `annotations ${describeValue(annotations)} must be a map of strings`);
  }
  for (const [key, value] of Object.entries(annotations)) {
    if (typeof value !== 'string' || hasToken(value) || hasToken(key))
      throw new HelmSynthError(where, `annotation ${key}=${describeText(value)} must be a literal string`);
  }
  return { ...(annotations as Record<string, string>) };
}
