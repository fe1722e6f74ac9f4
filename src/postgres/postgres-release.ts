import { Construct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { ChartDependency, ChartInstallProps, HelmChart, HelmChartProps } from '../chart/helm-chart';
import { checkResources, HookResources } from '../hooks/hook-pod';
import { hasToken } from '../tokens/token';
import { Condition } from '../values/condition';
import { BooleanValue, JsonValue } from '../values/value';
import {
  BITNAMI_OCI_REPOSITORY, BITNAMI_POSTGRESQL, BITNAMI_REPOSITORY, BitnamiLayout, bitnamiExpressions, bitnamiNames,
  bitnamiPasswords, BitnamiPostgresqlVersion, bitnamiPostgresqlVersion, BitnamiSettings, bitnamiValues, POSTGRES_DEFAULT_PORT,
  POSTGRES_SUPERUSER,
} from './bitnami-postgresql';
import { isDnsName, PostgresConnection } from './postgres-connection';

/** The PersistentVolumeClaim of the database. */
export interface PostgresPersistence {
  /** Keep the data on a PersistentVolumeClaim. @default the chart's default (true) */
  readonly enabled?: boolean;
  /** Size of the claim, a Kubernetes quantity such as `10Gi`. @default the chart's default (8Gi) */
  readonly size?: string;
  /** StorageClass of the claim (`-` for none). @default the cluster's default class */
  readonly storageClass?: string;
}

/** The PostgreSQL container image, when not the chart's own. */
export interface PostgresImage {
  /** Registry, e.g. `docker.io`. @default the chart's */
  readonly registry?: string;
  /** Repository, e.g. `bitnami/postgresql`. @default the chart's */
  readonly repository?: string;
  /** Tag. @default the chart's */
  readonly tag?: string;
}

/** Settings of a PostgresRelease. */
export interface PostgresReleaseProps {
  /** The pinned bitnami/postgresql version, e.g. `10.8.0` or `17.1.0`; its major version decides the values keys. */
  readonly chartVersion: string;
  /**
   * Where the chart comes from.
   * @default 'https://charts.bitnami.com/bitnami'
   */
  readonly repository?: string;
  /**
   * The values key and chart name of the dependency (lower-case letters and digits).
   * @default none: `postgresql`
   */
  readonly alias?: string;
  /**
   * A Secret created outside the chart holding the passwords under the version's keys (10.x:
   * `postgresql-password`, and `postgresql-postgres-password` when `user` is not postgres; 11+:
   * `postgres-password`, and `password` with a `user`).
   * @default none: the chart creates its Secret from the passwords given at install time
   * (10.x `postgresqlPassword`/`postgresqlPostgresPassword`, 11+ `auth.postgresPassword`/`auth.password`);
   * helm-synth never writes a password into values.yaml
   */
  readonly existingSecret?: string;
  /**
   * A role the chart creates at first start (10.x: `postgresqlUsername`, which is the superuser
   * when it is `postgres`; 11+: `auth.username`).
   * @default none (10.x: `postgres`)
   */
  readonly user?: string;
  /**
   * A database the chart creates at first start (`postgresqlDatabase` / `auth.database`).
   * @default none
   */
  readonly database?: string;
  /** The data volume. @default the chart's defaults */
  readonly persistence?: PostgresPersistence;
  /**
   * The PostgreSQL image. On 17.x, another registry or repository also needs
   * `global.security.allowInsecureImages=true` at install (bitnami's own check).
   * @default the chart's image
   */
  readonly image?: PostgresImage;
  /**
   * CPU and memory of the PostgreSQL container (10.x `resources`, 11+ `primary.resources`).
   * @default the chart's defaults
   */
  readonly resources?: HookResources;
  /**
   * Replaces the release-scoped full name of the chart's objects (`fullnameOverride`).
   * @default none: bitnami's rule (the release name when it contains the chart name, else `<release>-<chart>`)
   */
  readonly fullnameOverride?: string;
}

const RELEASE_CONSTRUCT_ID = 'Postgresql';

/**
 * bitnami/postgresql as a dependency of the enclosing `HelmChart` (Chart.yaml `dependencies`
 * with condition `<key>.enabled`, values under `<key>`), with typed props mapped to the keys of the
 * chart's major version. `PostgresRelease.standaloneChart` makes a chart that installs nothing else.
 *
 * `connection` reaches the database from the chart's own templates; `externalConnection` from
 * other releases, when the chart fixes its release name and namespace.
 */
export class PostgresRelease extends Construct {
  /**
   * A chart of its own, `dist/<name>/`, that only installs bitnami/postgresql, under the release
   * name and namespace `chartProps.install` fixes (they are in its README's install command, and
   * `externalConnection` is built from them).
   */
  public static standaloneChart(scope: Construct, id: string, chartProps: HelmChartProps & { readonly install: ChartInstallProps }, props: PostgresReleaseProps): PostgresRelease {
    if (!chartProps?.install) throw new HelmSynthError([scope.node.path, id].filter(Boolean).join('/'), 'a standalone PostgreSQL chart needs install: { releaseName, namespace }');
    const chart = new HelmChart(scope, id, { keywords: ['postgresql', 'database'], ...chartProps });
    return new PostgresRelease(chart, RELEASE_CONSTRUCT_ID, props);
  }

  /** The chart that depends on bitnami/postgresql. */
  public readonly chart: HelmChart;
  /** The pinned version and its values layout. */
  public readonly version: BitnamiPostgresqlVersion;
  /** The values key (and chart name) of the dependency. */
  public readonly key: string;
  /** The Chart.yaml dependency. */
  public readonly dependency: ChartDependency;
  /** The values given to bitnami/postgresql, under `key` in values.yaml (besides `enabled`). */
  public readonly chartValues: { readonly [key: string]: JsonValue };
  /** The value `<key>.enabled` that installs the dependency. */
  public readonly enabled: BooleanValue;
  /** Reaches the database from this chart's templates (post-install; names computed at install time). */
  public readonly connection: PostgresConnection;
  private readonly settings: BitnamiSettings;

  constructor(scope: Construct, id: string, props: PostgresReleaseProps) {
    super(scope, id);
    const where = this.node.path;
    this.chart = HelmChart.helmChartOf(this);
    if (!props || typeof props !== 'object') throw new HelmSynthError(where, 'PostgresRelease needs props with at least chartVersion');
    this.version = bitnamiPostgresqlVersion(props.chartVersion, where);
    const repository = props.repository ?? BITNAMI_REPOSITORY;
    if (repository !== BITNAMI_REPOSITORY && repository !== BITNAMI_OCI_REPOSITORY && !/^(https|oci|file):\/\/\S+$/.test(repository)) {
      throw new HelmSynthError(where, `repository ${describeValue(repository)} must be an https://, oci:// or file:// URL (bitnami: ${BITNAMI_REPOSITORY} or ${BITNAMI_OCI_REPOSITORY})`);
    }
    if (props.alias !== undefined && (typeof props.alias !== 'string' || !/^[a-z][a-z0-9]{0,52}$/.test(props.alias))) {
      throw new HelmSynthError(where, `alias ${describeValue(props.alias)} must be lower-case letters and digits, starting with a letter (it is both a values key and the dependency's chart name in object names)`);
    }
    this.key = props.alias ?? BITNAMI_POSTGRESQL;
    this.settings = checkSettings(props, where);
    this.chartValues = bitnamiValues(this.version.layout, this.settings);

    this.dependency = {
      name: BITNAMI_POSTGRESQL,
      version: this.version.version,
      repository,
      ...(props.alias !== undefined && { alias: props.alias }),
      condition: `${this.key}.enabled`,
    };
    this.chart.addChartDependency(this.dependency, this.chartValues);
    this.enabled = this.chart.values.passthroughBoolean(`${this.key}.enabled`, { default: true, description: `Install bitnami/postgresql ${this.version.version} with this release.` });

    const expressions = bitnamiExpressions(this.version.layout, this.key);
    this.connection = PostgresConnection.releaseScoped({
      chart: this.chart,
      hostExpression: expressions.host,
      portExpression: expressions.port,
      adminUser: POSTGRES_SUPERUSER,
      adminSecretExpressions: { name: expressions.secretName, key: expressions.adminPasswordKey },
      condition: Condition.of(this.enabled),
      description: `bitnami/postgresql ${this.version.version} of chart ${this.chart.chartName}`,
    });
    this.chart.addReadmeSection(this.readme());
  }

  /**
   * Reaches the database from other releases: `<fullname>.<namespace>.svc.cluster.local`, with the
   * names the chart's fixed release name and namespace give. Their pods read Secrets of their own
   * namespace only: one in another namespace needs a copy of the admin Secret there.
   */
  public get externalConnection(): PostgresConnection {
    const install = this.chart.install;
    if (!install) {
      throw new HelmSynthError(this.node.path, `chart ${this.chart.chartName} does not fix its release name and namespace (HelmChartProps.install), so other releases cannot know the database's host; use connection inside the chart, or PostgresConnection.external`);
    }
    const names = bitnamiNames(this.version.layout, this.key, install.releaseName, this.settings);
    return PostgresConnection.external({
      host: `${names.fullname}.${install.namespace}.svc.cluster.local`,
      port: POSTGRES_DEFAULT_PORT,
      adminUser: POSTGRES_SUPERUSER,
      adminSecret: { name: names.secretName, key: names.adminPasswordKey },
      installedBy: this.chart,
      description: `bitnami/postgresql ${this.version.version} in release ${install.releaseName} (namespace ${install.namespace})`,
    });
  }

  private readme(): string {
    const { layout, version } = this.version;
    const passwords = bitnamiPasswords(layout, this.settings.user);
    const existingSecretKey = layout === BitnamiLayout.LEGACY ? 'existingSecret' : 'auth.existingSecret';
    const keys = passwords.map((p) => `\`${p.secretKey}\` (${p.role})`).join(' and ');
    const lines = [
      `## PostgreSQL (bitnami/postgresql ${version})`,
      '',
      `The database is the dependency \`${this.key}\` (condition \`${this.key}.enabled\`); its values are under \`${this.key}:\`.`,
      '',
    ];
    if (this.settings.existingSecret) {
      lines.push(`**Passwords** are read from the Secret \`${this.settings.existingSecret}\`, created outside the chart in the release's namespace before installing, with the keys ${keys}.`);
    } else {
      lines.push(
        `**Passwords** are never written into values.yaml: give them at install time in a values file kept out of version control, or set \`${this.key}.${existingSecretKey}\` to a Secret you create with the keys ${keys}.`,
        '',
        '```yaml',
        `${this.key}:`,
        ...passwords.flatMap((p) => {
          const [group, leaf] = p.valuesKey.includes('.') ? p.valuesKey.split('.') : [undefined, p.valuesKey];
          return group ? [`  ${group}:`, `    ${leaf}: "..."  # ${p.role}`] : [`  ${leaf}: "..."  # ${p.role}`];
        }),
        '```',
        '',
        layout === BitnamiLayout.LEGACY
          ? 'Without a password bitnami/postgresql 10.x makes a random one, and a new one on every upgrade while the database keeps the first: pass the same file on every upgrade.'
          : 'Without a password the chart makes a random one and keeps it across upgrades (it looks its Secret up in the cluster).',
      );
    }
    lines.push('Passwords cannot be changed through Helm once the volume exists.');
    const install = this.chart.install;
    if (install) {
      const c = this.externalConnection;
      lines.push(
        '',
        `**Connection.** Installed as above, other releases reach the database at \`${c.host}:${c.port}\` as \`${c.adminUser}\`, with the password in Secret \`${c.adminSecret.name}\`, key \`${c.adminSecret.key}\`, in namespace \`${install.namespace}\`. Another release name or namespace changes these names.`,
      );
    }
    return lines.join('\n');
  }
}

const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

function checkSettings(props: PostgresReleaseProps, where: string): BitnamiSettings {
  const literal = (value: unknown, field: string, check: (text: string) => boolean, expected: string): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || hasToken(value)) {
      throw new HelmSynthError(where, `${field} ${describeValue(value)} must be a literal string: it is written into values.yaml, which holds no template expressions (override it at install time instead)`);
    }
    if (!check(value)) throw new HelmSynthError(where, `${field} ${describeValue(value)} must be ${expected}`);
    return value;
  };
  const roleName = (text: string): boolean => text !== '' && Buffer.byteLength(text) <= 63;
  const persistence = props.persistence;
  if (persistence !== undefined && (typeof persistence !== 'object' || persistence === null)) {
    throw new HelmSynthError(where, `persistence ${describeValue(persistence)} must be { enabled, size, storageClass }`);
  }
  if (persistence?.enabled !== undefined && typeof persistence.enabled !== 'boolean') {
    throw new HelmSynthError(where, `persistence.enabled ${describeValue(persistence.enabled)} must be a boolean`);
  }
  const image = props.image;
  if (image !== undefined && (typeof image !== 'object' || image === null || Object.keys(image).length === 0)) {
    throw new HelmSynthError(where, `image ${describeValue(image)} must set at least one of registry, repository, tag`);
  }
  const imagePart = (text: string): boolean => /^[\w][\w./:@-]{0,254}$/.test(text);
  return {
    user: literal(props.user, 'user', roleName, 'a PostgreSQL role name of 1 to 63 bytes'),
    database: literal(props.database, 'database', roleName, 'a database name of 1 to 63 bytes'),
    existingSecret: literal(props.existingSecret, 'existingSecret', isDnsName, 'a Secret name (a DNS-1123 subdomain)'),
    fullnameOverride: literal(props.fullnameOverride, 'fullnameOverride', (t) => t.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(t), 'a DNS-1123 label of at most 63 characters'),
    persistence: persistence && {
      enabled: persistence.enabled,
      size: literal(persistence.size, 'persistence.size', (t) => QUANTITY.test(t), 'a Kubernetes quantity such as 10Gi'),
      storageClass: literal(persistence.storageClass, 'persistence.storageClass', (t) => t === '-' || isDnsName(t), 'a StorageClass name, or - for none'),
    },
    image: image && {
      registry: literal(image.registry, 'image.registry', imagePart, 'a registry host such as docker.io'),
      repository: literal(image.repository, 'image.repository', imagePart, 'a repository such as bitnami/postgresql'),
      tag: literal(image.tag, 'image.tag', (t) => /^[\w][\w.-]{0,127}$/.test(t), 'an image tag'),
    },
    resources: props.resources === undefined ? undefined : literalResources(checkResources(props.resources, where), where),
  };
}

function literalResources(resources: HookResources, where: string): { [key: string]: JsonValue } {
  const json = JSON.parse(JSON.stringify(resources)) as { [key: string]: JsonValue };
  if (hasToken(JSON.stringify(json))) throw new HelmSynthError(where, 'resources must be literal amounts: they are written into values.yaml');
  return json;
}
