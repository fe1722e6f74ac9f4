import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { resourceNameToken } from '../template/resource-naming';
import { JsonValue } from '../values/value';
import { Values } from '../values/values';
import { ChartName, chartName, SemVer, semVer } from './chart-metadata';

/** Whether a chart installs resources or only provides named templates. */
export enum ChartType {
  APPLICATION = 'application',
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

/** The fixed release name and namespace a chart is installed under. */
export interface ChartInstallProps {
  /** Release name (a DNS-1123 label of at most 53 characters). */
  readonly releaseName: string;
  /** Namespace (a DNS-1123 label). */
  readonly namespace: string;
}

/** Chart.yaml metadata and chart-wide settings. */
export interface HelmChartProps {
  /** Chart name (DNS-1123 label). @default the construct id */
  readonly name?: string;
  /** Chart version, SemVer 2. */
  readonly version: string;
  /** Version of the application the chart deploys. @default none */
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
  /** Extra text appended to NOTES.txt, as literal text. @default none */
  readonly notes?: string;
  /**
   * The release name and namespace of the README's install command, for a chart that must be
   * installed under fixed names (other releases reach it by them).
   * @default release my-release in namespace my-namespace
   */
  readonly install?: ChartInstallProps;
}

/** Chart.yaml content as checked at construction. */
export interface ChartMetadata {
  readonly name: ChartName;
  readonly version: SemVer;
  readonly appVersion?: string;
  readonly description?: string;
  readonly type: ChartType;
  readonly kubeVersion?: string;
  readonly keywords: readonly string[];
  readonly home?: string;
  readonly sources: readonly string[];
  readonly maintainers: readonly ChartMaintainer[];
  readonly icon?: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * A Helm chart: a cdk8s `Chart` whose objects synthesize to templates of one chart directory,
 * `dist/<name>/`, with typed values (`chart.values`) and release-scoped names and labels.
 */
export class HelmChart extends Chart {
  /** Whether a construct is a HelmChart. */
  public static isHelmChart(x: unknown): x is HelmChart {
    return x instanceof HelmChart;
  }

  /** The HelmChart a construct belongs to. */
  public static helmChartOf(construct: IConstruct): HelmChart {
    const chart = construct.node.scopes.slice().reverse().find(HelmChart.isHelmChart);
    if (!chart) throw new HelmSynthError(construct.node.path, 'is not inside a HelmChart');
    return chart;
  }

  /** Checked Chart.yaml metadata. */
  public readonly metadata: ChartMetadata;
  /** The chart's values: declare them here. */
  public readonly values: Values;
  /** Extra NOTES.txt text. */
  public readonly notes?: string;
  /** The fixed release name and namespace, when the chart has them. */
  public readonly install?: ChartInstallProps;
  private readonly chartDependencies: ChartDependency[] = [];
  private readonly extraReadme: string[] = [];

  constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    const where = this.node.path;
    if (!props || typeof props !== 'object') throw new HelmSynthError(where, 'HelmChart needs props with at least a version');
    this.metadata = {
      name: chartName(props.name ?? id, where),
      version: semVer(props.version, where),
      appVersion: optionalString(props.appVersion, 'appVersion', where),
      description: optionalString(props.description, 'description', where),
      type: checkType(props.type ?? ChartType.APPLICATION, where),
      kubeVersion: optionalString(props.kubeVersion, 'kubeVersion', where),
      keywords: stringList(props.keywords, 'keywords', where),
      home: optionalUrl(props.home, 'home', where),
      sources: stringList(props.sources, 'sources', where).map((url) => optionalUrl(url, 'sources', where)!),
      maintainers: (props.maintainers ?? []).map((m) => checkMaintainer(m, where)),
      icon: optionalUrl(props.icon, 'icon', where),
      annotations: checkAnnotations(props.annotations, where),
    };
    this.notes = optionalString(props.notes, 'notes', where);
    this.install = props.install && {
      releaseName: dnsLabel(props.install.releaseName, 'install.releaseName', 53, where),
      namespace: dnsLabel(props.install.namespace, 'install.namespace', 63, where),
    };
    this.values = new Values(where);
    this.values.string('nameOverride', { default: '', description: 'Replaces the chart name in object names.' });
    this.values.string('fullnameOverride', { default: '', description: 'Replaces the whole release-scoped base name of objects.' });
  }

  /** The chart name. */
  public get chartName(): ChartName {
    return this.metadata.name;
  }

  /** Markdown sections added to README.md, in the order added. */
  public get readmeSections(): readonly string[] {
    return this.extraReadme;
  }

  /** Adds a Markdown section to README.md, after the install command (for constructs that document themselves). */
  public addReadmeSection(markdown: string): void {
    this.extraReadme.push(optionalString(markdown, 'README section', this.node.path)!);
  }

  /** Dependencies, in the order added. */
  public get dependencies(): readonly ChartDependency[] {
    return this.chartDependencies;
  }

  /**
   * Adds a Chart.yaml dependency. Its values key (alias or name) is passed through by the schema;
   * `values` are written under that key in values.yaml.
   */
  public addChartDependency(dependency: ChartDependency, values: { [key: string]: JsonValue } = {}): void {
    const where = this.node.path;
    for (const field of ['name', 'version', 'repository'] as const) {
      if (typeof dependency[field] !== 'string' || dependency[field] === '') {
        throw new HelmSynthError(where, `dependency ${field} ${describeValue(dependency[field])} must be a non-empty string`);
      }
    }
    if (!/^(https?|oci|file):\/\//.test(dependency.repository) && !dependency.repository.startsWith('@')) {
      throw new HelmSynthError(where, `dependency repository ${describeValue(dependency.repository)} must be an https://, oci:// or file:// URL`);
    }
    const key = dependency.alias ?? dependency.name;
    if (this.chartDependencies.some((d) => (d.alias ?? d.name) === key)) {
      throw new HelmSynthError(where, `dependency ${describeValue(key)} is added twice; give one an alias`);
    }
    this.values.allowPassthrough(key, `Values of the ${dependency.name} dependency (chart ${dependency.name} ${dependency.version}).`, values);
    this.chartDependencies.push({ ...dependency });
  }

  /**
   * A string token for the release-scoped name of a resource of this chart (a cdk8s-plus resource
   * or an ApiObject), for use inside other strings such as URLs.
   */
  public resourceName(resource: IConstruct): string {
    const object = resource instanceof ApiObject ? resource : resource.node.defaultChild;
    if (!(object instanceof ApiObject) || HelmChart.helmChartOf(object) !== this) {
      throw new HelmSynthError(resource.node.path, `is not a Kubernetes object of chart ${this.chartName}`);
    }
    return resourceNameToken(object, () => this.chartName, this);
  }
}

function optionalString(value: unknown, field: string, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new HelmSynthError(where, `${field} ${describeValue(value)} must be a non-empty string`);
  return value;
}

function dnsLabel(value: unknown, field: string, maxLength: number, where: string): string {
  if (typeof value !== 'string' || value.length > maxLength || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
    throw new HelmSynthError(where, `${field} ${describeValue(value)} must be a DNS-1123 label of at most ${maxLength} characters`);
  }
  return value;
}

function optionalUrl(value: unknown, field: string, where: string): string | undefined {
  const text = optionalString(value, field, where);
  if (text !== undefined && !/^https?:\/\/\S+$/.test(text)) throw new HelmSynthError(where, `${field} ${describeValue(text)} must be an http(s) URL`);
  return text;
}

function stringList(value: unknown, field: string, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new HelmSynthError(where, `${field} ${describeValue(value)} must be a list of strings`);
  return value.map((item) => optionalString(item, field, where)!);
}

function checkType(type: unknown, where: string): ChartType {
  if (!Object.values(ChartType).includes(type as ChartType)) throw new HelmSynthError(where, `chart type ${describeValue(type)} must be application or library`);
  return type as ChartType;
}

function checkMaintainer(maintainer: ChartMaintainer, where: string): ChartMaintainer {
  optionalString(maintainer?.name, 'maintainer name', where);
  if (maintainer.email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(maintainer.email)) {
    throw new HelmSynthError(where, `maintainer email ${describeValue(maintainer.email)} is not an e-mail address`);
  }
  optionalUrl(maintainer.url, 'maintainer url', where);
  return { name: maintainer.name, ...(maintainer.email && { email: maintainer.email }), ...(maintainer.url && { url: maintainer.url }) };
}

function checkAnnotations(annotations: unknown, where: string): Record<string, string> {
  if (annotations === undefined) return {};
  if (typeof annotations !== 'object' || annotations === null) throw new HelmSynthError(where, `annotations ${describeValue(annotations)} must be a map of strings`);
  for (const [key, value] of Object.entries(annotations)) {
    if (typeof value !== 'string') throw new HelmSynthError(where, `annotation ${key}=${describeValue(value)} must be a string`);
  }
  return { ...(annotations as Record<string, string>) };
}
