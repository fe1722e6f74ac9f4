import { Construct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { ChartDependency, ChartInstall, HelmChart, HelmChartProps } from '../chart/helm-chart';
import { checkResources, HookResources } from '../hooks/hook-pod';
import {
  checkText,
  DNS_LABEL_RULE,
  DNS_SUBDOMAIN_RULE,
  IMAGE_DIGEST_RULE,
  IMAGE_REGISTRY_RULE,
  IMAGE_REPOSITORY_RULE,
  IMAGE_TAG_RULE,
  PLAIN_POSTGRES_NAME_RULE,
  QUANTITY_RULE,
  TextRule,
} from '../tokens/checks';
import { hasToken } from '../tokens/token';
import { Condition } from '../values/condition';
import { BooleanValue, JsonValue } from '../values/value';
import {
  BITNAMI_FULL_INDEX_REPOSITORY,
  BITNAMI_LEGACY_NAMESPACE,
  BITNAMI_OCI_REPOSITORY,
  BITNAMI_POSTGRESQL,
  BitnamiImage,
  BitnamiImageRole,
  BitnamiLayout,
  bitnamiExpressions,
  bitnamiNames,
  BitnamiPostgresqlVersion,
  bitnamiPostgresqlVersion,
  BitnamiSettings,
  bitnamiValues,
  bitnamiValuesSchema,
  InsecureImageCheck,
  needsInsecureImagesFlag,
  PINNED_BITNAMI_VERSIONS,
  PinnedBitnamiVersion,
  POSTGRES_DEFAULT_PORT,
  POSTGRES_SUPERUSER,
  STORAGE_CLASS_RULE,
} from './bitnami-postgresql';
import { PostgresConnection } from './postgres-connection';
import { externalServerReadme, postgresReleaseReadme } from './postgres-readme';

/** The PersistentVolumeClaim of the database. */
export interface PostgresPersistence {
  /** Keep the data on a PersistentVolumeClaim. @default the chart's default (true) */
  readonly enabled?: boolean;
  /** Size of the claim, a Kubernetes quantity such as `10Gi`. @default the chart's default (8Gi) */
  readonly size?: string;
  /** StorageClass of the claim (`-` for none). @default the cluster's default class */
  readonly storageClass?: string;
}

/** One container image of the chart; each field given replaces the pinned default's. */
export interface PostgresImage {
  /** Registry host, e.g. `registry.example.com`. @default the pinned image's (`docker.io`) */
  readonly registry?: string;
  /** Repository, e.g. `mirror/bitnamilegacy/postgresql`. @default the pinned image's (`bitnamilegacy/<name>`) */
  readonly repository?: string;
  /** Tag. @default the pinned image's: the tag of the chart version's values.yaml */
  readonly tag?: string;
  /**
   * Digest `sha256:<64 hex>`, which pins the image whatever the tag says (10.x, whose bitnami/common
   * has no digest key, gets it as `<tag>@<digest>`).
   * @default none
   */
  readonly digest?: string;
}

/**
 * The images bitnami/postgresql can run, for teams with their own mirror. On 17.x, bitnami/common
 * fails the render for an image outside `docker.io/bitnami/` and `docker.io/bitnamilegacy/`; helm-synth
 * then sets `global.security.allowInsecureImages` under the dependency's values itself.
 */
export interface PostgresImages {
  /** The database (`image`). @default the pinned `docker.io/bitnamilegacy/postgresql` tag */
  readonly postgresql?: PostgresImage;
  /** The volume-permissions init container, when `volumePermissions.enabled` (`volumePermissions.image`). @default the pinned `bitnami-shell` (10.x) / `os-shell` (11+) */
  readonly volumePermissions?: PostgresImage;
  /** The metrics exporter, when `metrics.enabled` (`metrics.image`). @default the pinned `postgres-exporter` */
  readonly metrics?: PostgresImage;
}

/** Settings of a PostgresRelease. */
export interface PostgresReleaseProps {
  /**
   * The pinned bitnami/postgresql version; its major version decides the values keys. helm-synth
   * pins images and a repository for 10.8.0 and 17.1.0; any other 10.x to 17.x version needs
   * `repository` and every image of `images` given in full (registry, repository, tag).
   */
  readonly chartVersion: string;
  /**
   * Where the chart comes from: an https chart repository (its index must list the version), an
   * OCI registry, or a file:// path.
   * @default 10.8.0: bitnami's full index (`https://raw.githubusercontent.com/bitnami/charts/archive-full-index/bitnami`);
   * 17.1.0: `oci://registry-1.docker.io/bitnamicharts`
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
   * when it is `postgres`; 11+: `auth.username`): 1 to 63 ASCII letters, digits, `_`, `.` and `-`
   * (10.x prints it unquoted), the rule its values.schema.json checks at install time too.
   * @default none (10.x: `postgres`)
   */
  readonly user?: string;
  /**
   * A database the chart creates at first start (`postgresqlDatabase` / `auth.database`), named like `user`.
   * @default none
   */
  readonly database?: string;
  /** The data volume. @default the chart's defaults */
  readonly persistence?: PostgresPersistence;
  /**
   * The images the chart can run (database, volume permissions, metrics), when not the pinned ones.
   * @default the pinned version's images under `docker.io/bitnamilegacy/`, with its own tags
   */
  readonly images?: PostgresImages;
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
  /**
   * Values path of the server `connection` reaches while `<key>.enabled` is false (the database
   * switched off at install time): `host`, `adminSecret.name`, `adminSecret.key` (required then),
   * `port` (default 5432) and `adminUser` (default `postgres`), declared with a README section when
   * the release is constructed. `false` declares none: `connection` then reaches only the bundled
   * database, and a `DbBootstrapHook` on it is switched off with it.
   * @default 'externalDatabase'; false in `PostgresRelease.standaloneChart` (its chart installs nothing else)
   */
  readonly externalValuesPath?: string | false;
}

const RELEASE_CONSTRUCT_ID = 'Postgresql';

const POSTGRES_RELEASE_BRAND = Symbol.for('helm-synth.PostgresRelease');

/**
 * bitnami/postgresql as a dependency of the enclosing `HelmChart` (Chart.yaml `dependencies`
 * with condition `<key>.enabled`, values under `<key>`), with typed props mapped to the keys of the
 * chart's major version. `PostgresRelease.standaloneChart` makes a chart that installs nothing else.
 *
 * `connection` reaches the database from the chart's own templates; `externalConnection` from
 * other releases, when the chart fixes its release name and namespace.
 */
export class PostgresRelease extends Construct {
  /** True for a PostgresRelease of any copy of the library (a brand check, not `instanceof`). */
  public static isPostgresRelease(x: unknown): x is PostgresRelease {
    return typeof x === 'object' && x !== null && POSTGRES_RELEASE_BRAND in x;
  }

  /**
   * A chart of its own, `dist/<name>/`, that only installs bitnami/postgresql, under the release
   * name and namespace `chartProps.install` fixes (they are in its README's install command, and
   * `externalConnection` is built from them).
   */
  public static standaloneChart(
    scope: Construct,
    id: string,
    chartProps: HelmChartProps & { readonly install: ChartInstall },
    props: PostgresReleaseProps,
  ): PostgresRelease {
    if (!chartProps?.install)
      throw new HelmSynthError(
        [scope.node.path, id].filter(Boolean).join('/'),
        'a standalone PostgreSQL chart needs install: { releaseName, namespace }',
      );
    const chart = new HelmChart(scope, id, { keywords: ['postgresql', 'database'], ...chartProps });
    const standalone = props && typeof props === 'object' ? { ...props, externalValuesPath: props.externalValuesPath ?? false } : props;
    return new PostgresRelease(chart, RELEASE_CONSTRUCT_ID, standalone);
  }

  /** The chart that depends on bitnami/postgresql. */
  public readonly chart: HelmChart;
  /** The pinned version and its values layout. */
  public readonly version: BitnamiPostgresqlVersion;
  /** What helm-synth pins for the version (images, repository), when it is one it knows. */
  public readonly pinned?: PinnedBitnamiVersion;
  /** Where Chart.yaml fetches the chart from. */
  public readonly repository: string;
  /** Every image the chart can run, as written into values.yaml. */
  public readonly images: Readonly<Record<BitnamiImageRole, BitnamiImage>>;
  /** Whether values.yaml sets `global.security.allowInsecureImages` for these images (bitnami/common 2.31+ would fail the render otherwise). */
  public readonly allowInsecureImages: boolean;
  /** The values key (and chart name) of the dependency. */
  public readonly key: string;
  /** The Chart.yaml dependency. */
  public readonly dependency: ChartDependency;
  /** The values given to bitnami/postgresql, under `key` in values.yaml (besides `enabled`). */
  public readonly chartValues: { readonly [key: string]: JsonValue };
  /** The value `<key>.enabled` that installs the dependency. */
  public readonly enabled: BooleanValue;
  /** Values path of the server `connection` reaches while `<key>.enabled` is false, if the chart declares one. */
  public readonly externalValuesPath?: string;
  /**
   * Reaches the database from this chart's templates (a post-install hook; names computed at install
   * time). While `<key>.enabled` is false it reaches the server in the values under
   * `externalValuesPath` instead (none when that is `false`).
   */
  public readonly connection: PostgresConnection;
  private readonly settings: BitnamiSettings;

  constructor(scope: Construct, id: string, props: PostgresReleaseProps) {
    super(scope, id);
    Object.defineProperty(this, POSTGRES_RELEASE_BRAND, { value: true });
    const where = this.node.path;
    this.chart = HelmChart.of(this);
    if (!props || typeof props !== 'object') throw new HelmSynthError(where, 'PostgresRelease needs props with at least chartVersion');
    this.version = bitnamiPostgresqlVersion(props.chartVersion, where);
    this.pinned = PINNED_BITNAMI_VERSIONS[this.version.version];
    const pinnedList = Object.keys(PINNED_BITNAMI_VERSIONS).join(', ');
    if (!this.pinned && (props.repository === undefined || !fullImages(props.images))) {
      throw new HelmSynthError(
        where,
        `bitnami/postgresql ${this.version.version} is not a version helm-synth pins images and a repository for (${pinnedList}): ` +
          'give repository (one whose index lists it) and images.postgresql, images.volumePermissions and images.metrics, each with registry, repository and tag ' +
          `(bitnami's own tags no longer pull from docker.io/bitnami; their copies are under docker.io/${BITNAMI_LEGACY_NAMESPACE})`,
      );
    }
    const repository = props.repository ?? this.pinned!.repository;
    if (typeof repository !== 'string' || !/^(https|oci|file):\/\/\S+$/.test(repository)) {
      throw new HelmSynthError(
        where,
        `repository ${describeValue(repository)} must be an https://, oci:// or file:// URL (bitnami: ${BITNAMI_FULL_INDEX_REPOSITORY} or ${BITNAMI_OCI_REPOSITORY})`,
      );
    }
    this.repository = repository;
    if (props.alias !== undefined && (typeof props.alias !== 'string' || !/^[a-z][a-z0-9]{0,52}$/.test(props.alias))) {
      throw new HelmSynthError(
        where,
        `alias ${describeValue(props.alias)} must be lower-case letters and digits, starting with a letter (it is both a values key and the dependency's chart name in object names)`,
      );
    }
    this.key = props.alias ?? BITNAMI_POSTGRESQL;
    this.externalValuesPath = checkExternalValuesPath(props.externalValuesPath, this.key, where);
    this.settings = checkSettings(props, where, this.version, this.pinned);
    this.images = this.settings.images;
    this.allowInsecureImages = this.settings.allowInsecureImages;
    this.chartValues = bitnamiValues(this.version.layout, this.settings);

    this.dependency = {
      name: BITNAMI_POSTGRESQL,
      version: this.version.version,
      repository,
      ...(props.alias !== undefined && { alias: props.alias }),
      condition: `${this.key}.enabled`,
    };
    this.chart.addChartDependency(this.dependency, this.chartValues, bitnamiValuesSchema(this.version.layout));
    this.enabled = this.chart.values.passthroughBoolean(`${this.key}.enabled`, {
      default: true,
      description: `Install bitnami/postgresql ${this.version.version} with this release.`,
    });

    this.chart.addReadmeSection(
      postgresReleaseReadme({
        key: this.key,
        version: this.version,
        user: this.settings.user,
        existingSecret: this.settings.existingSecret,
        images: this.images,
        allowInsecureImages: this.allowInsecureImages,
        insecureImageCheck: this.pinned?.insecureImageCheck,
        repository,
        fixedInstall: this.chart.install && { connection: this.externalConnection, namespace: this.chart.install.namespace },
      }),
    );

    const expressions = bitnamiExpressions(this.version.layout, this.key);
    this.connection = PostgresConnection.releaseScoped({
      chart: this.chart,
      hostExpression: expressions.host,
      portExpression: expressions.port,
      adminUser: POSTGRES_SUPERUSER,
      adminSecretExpressions: { name: expressions.secretName, key: expressions.adminPasswordKey },
      condition: Condition.from(this.enabled),
      externalValuesPath: this.externalValuesPath,
      description: `bitnami/postgresql ${this.version.version} of chart ${this.chart.chartName}`,
    });
    if (this.externalValuesPath !== undefined) this.chart.addReadmeSection(externalServerReadme(this.key, this.externalValuesPath));
  }

  /**
   * Reaches the database from other releases: `<fullname>.<namespace>.svc.cluster.local`, with the
   * names the chart's fixed release name and namespace give. Their pods read Secrets of their own
   * namespace only: one in another namespace needs a copy of the admin Secret there.
   */
  public get externalConnection(): PostgresConnection {
    const install = this.chart.install;
    if (!install) {
      throw new HelmSynthError(
        this.node.path,
        `chart ${this.chart.chartName} does not fix its release name and namespace (HelmChartProps.install), so other releases cannot know the database's host; use connection inside the chart, or PostgresConnection.external`,
      );
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
}

/** The checked `externalValuesPath`: undefined for `false`, else a values path of the chart's own (not under the dependency's `key`). */
function checkExternalValuesPath(given: string | false | undefined, key: string, where: string): string | undefined {
  if (given === false) return undefined;
  const path = checkText(given ?? 'externalDatabase', 'externalValuesPath', where);
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path) || path.split('.')[0] === key) {
    throw new HelmSynthError(
      where,
      `externalValuesPath ${describeValue(path)} must be a values path of the chart's own (dot-separated identifiers such as database.external), not under ${key}, or false for none`,
    );
  }
  return path;
}

const IMAGE_FIELDS = ['registry', 'repository', 'tag', 'digest'] as const;

/** Whether every image the chart can run is given with registry, repository and tag (what a version helm-synth does not pin needs). */
function fullImages(images: PostgresImages | undefined): boolean {
  return Object.values(BitnamiImageRole).every((role) => {
    const image = images?.[role];
    return (
      typeof image === 'object' &&
      image !== null &&
      image.registry !== undefined &&
      image.repository !== undefined &&
      image.tag !== undefined
    );
  });
}

function checkSettings(
  props: PostgresReleaseProps,
  where: string,
  version: BitnamiPostgresqlVersion,
  pinned: PinnedBitnamiVersion | undefined,
): BitnamiSettings {
  const literal = (value: unknown, field: string, rule: TextRule, what?: string): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || hasToken(value)) {
      throw new HelmSynthError(
        where,
        `${field} ${describeValue(value)} must be a literal string: it is written into values.yaml, which holds no template expressions (override it at install time instead)`,
      );
    }
    if (!rule.test(value))
      throw new HelmSynthError(where, `${field} ${describeValue(value)} must be ${what ? `${what} (${rule.expected})` : rule.expected}`);
    return value;
  };
  const persistence = props.persistence;
  if (persistence !== undefined && (typeof persistence !== 'object' || persistence === null)) {
    throw new HelmSynthError(where, `persistence ${describeValue(persistence)} must be { enabled, size, storageClass }`);
  }
  if (persistence?.enabled !== undefined && typeof persistence.enabled !== 'boolean') {
    throw new HelmSynthError(where, `persistence.enabled ${describeValue(persistence.enabled)} must be a boolean`);
  }
  const images = props.images;
  if (images !== undefined && (typeof images !== 'object' || images === null)) {
    throw new HelmSynthError(where, `images ${describeValue(images)} must be { postgresql, volumePermissions, metrics }`);
  }
  for (const key of Object.keys(images ?? {})) {
    if (!(Object.values(BitnamiImageRole) as string[]).includes(key)) {
      throw new HelmSynthError(
        where,
        `images.${key} is not an image of bitnami/postgresql; use ${Object.values(BitnamiImageRole).join(', ')}`,
      );
    }
  }
  const resolved = Object.fromEntries(
    Object.values(BitnamiImageRole).map((role) => {
      const given = images?.[role];
      if (given !== undefined && (typeof given !== 'object' || given === null || Object.keys(given).length === 0)) {
        throw new HelmSynthError(where, `images.${role} ${describeValue(given)} must set at least one of ${IMAGE_FIELDS.join(', ')}`);
      }
      for (const key of Object.keys(given ?? {})) {
        if (!(IMAGE_FIELDS as readonly string[]).includes(key))
          throw new HelmSynthError(where, `images.${role}.${key} is not an image field; use ${IMAGE_FIELDS.join(', ')}`);
      }
      const field = `images.${role}`;
      const image: BitnamiImage = {
        registry: literal(given?.registry, `${field}.registry`, IMAGE_REGISTRY_RULE) ?? pinned!.images[role].registry,
        repository: literal(given?.repository, `${field}.repository`, IMAGE_REPOSITORY_RULE) ?? pinned!.images[role].repository,
        tag: literal(given?.tag, `${field}.tag`, IMAGE_TAG_RULE) ?? pinned!.images[role].tag,
        ...(given?.digest !== undefined && { digest: literal(given.digest, `${field}.digest`, IMAGE_DIGEST_RULE) }),
      };
      return [role, image];
    }),
  ) as Record<BitnamiImageRole, BitnamiImage>;
  const check =
    pinned?.insecureImageCheck ?? (version.layout === BitnamiLayout.LEGACY ? InsecureImageCheck.NONE : InsecureImageCheck.ANY_MAY_FAIL);
  return {
    user: literal(props.user, 'user', PLAIN_POSTGRES_NAME_RULE, 'a role name'),
    database: literal(props.database, 'database', PLAIN_POSTGRES_NAME_RULE, 'a database name'),
    existingSecret: literal(props.existingSecret, 'existingSecret', DNS_SUBDOMAIN_RULE, 'a Secret name'),
    fullnameOverride: literal(props.fullnameOverride, 'fullnameOverride', DNS_LABEL_RULE),
    persistence: persistence && {
      enabled: persistence.enabled,
      size: literal(persistence.size, 'persistence.size', QUANTITY_RULE),
      storageClass: literal(persistence.storageClass, 'persistence.storageClass', STORAGE_CLASS_RULE, 'a StorageClass name, or - for none'),
    },
    images: resolved,
    digestKey: pinned?.digestKey ?? false,
    allowInsecureImages: Object.values(BitnamiImageRole).some((role) => needsInsecureImagesFlag(check, role, resolved[role])),
    resources: props.resources === undefined ? undefined : literalResources(checkResources(props.resources, where), where),
  };
}

function literalResources(resources: HookResources, where: string): { [key: string]: JsonValue } {
  const json = JSON.parse(JSON.stringify(resources)) as { [key: string]: JsonValue };
  if (hasToken(JSON.stringify(json)))
    throw new HelmSynthError(where, 'resources must be literal amounts: they are written into values.yaml');
  return json;
}
