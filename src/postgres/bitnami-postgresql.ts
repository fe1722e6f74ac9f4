import { describeValue, HelmSynthError } from '../errors';
import { SemVer, semVer } from '../chart/chart-metadata';
import {
  DNS_LABEL_RULE,
  DNS_SUBDOMAIN_RULE,
  IMAGE_DIGEST_RULE,
  IMAGE_REGISTRY_RULE,
  IMAGE_REPOSITORY_RULE,
  IMAGE_TAG_RULE,
  orEmpty,
  orLiteral,
  PLAIN_POSTGRES_NAME_RULE,
  QUANTITY_RULE,
  SECRET_KEY_RULE,
  TEMPLATE_FREE_RULE,
  TextRule,
} from '../tokens/checks';
import { JsonValue } from '../values/value';

/** bitnami's chart repository; since June 2022 its index lists only chart versions from 2022 on (bitnami/charts#10833). */
export const BITNAMI_REPOSITORY = 'https://charts.bitnami.com/bitnami';
/** bitnami's full index, which still lists the versions the truncated one dropped, 10.8.0 among them (bitnami/charts#10833). */
export const BITNAMI_FULL_INDEX_REPOSITORY = 'https://raw.githubusercontent.com/bitnami/charts/archive-full-index/bitnami';
/** The same charts as OCI artifacts (recent versions only). */
export const BITNAMI_OCI_REPOSITORY = 'oci://registry-1.docker.io/bitnamicharts';
/**
 * Where every versioned bitnami image lives since September 2025: the tags were removed from
 * `docker.io/bitnami/*` and kept here (bitnami/charts#35164, bitnami/containers#83267).
 */
export const BITNAMI_LEGACY_NAMESPACE = 'bitnamilegacy';
/** The name of the chart. */
export const BITNAMI_POSTGRESQL = 'postgresql';
/** The superuser both layouts create; the admin of every connection. */
export const POSTGRES_SUPERUSER = 'postgres';
/** The port of the chart's Service unless its values change it. */
export const POSTGRES_DEFAULT_PORT = 5432;

/** How a major version of bitnami/postgresql names its values, Secret keys and Services. */
export enum BitnamiLayout {
  /** 10.x: `postgresqlUsername`, `existingSecret`, `persistence.*`; keys `postgresql-password`, `postgresql-postgres-password`. */
  LEGACY = 'legacy',
  /** 11.0.0 and later: `auth.*`, `primary.persistence.*`, `primary.resources`; keys `postgres-password`, `password`. */
  AUTH = 'auth',
}

/** The major versions whose values and object names helm-synth knows. */
export const SUPPORTED_MAJORS: Readonly<Record<BitnamiLayout, { readonly from: number; readonly to: number }>> = {
  [BitnamiLayout.LEGACY]: { from: 10, to: 10 },
  [BitnamiLayout.AUTH]: { from: 11, to: 17 },
};

/** A pinned bitnami/postgresql version and the layout of its values. */
export interface BitnamiPostgresqlVersion {
  readonly version: SemVer;
  readonly major: number;
  readonly layout: BitnamiLayout;
}

/** Checks a pinned chart version (`10.8.0`, not a range) and finds its layout. */
export function bitnamiPostgresqlVersion(version: unknown, where: string): BitnamiPostgresqlVersion {
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new HelmSynthError(
      where,
      `chartVersion ${describeValue(version)} must be a pinned bitnami/postgresql version such as 10.8.0 or 17.1.0, not a range`,
    );
  }
  const checked = semVer(version, where, 'chartVersion');
  const major = Number(version.split('.')[0]);
  const layout = (Object.keys(SUPPORTED_MAJORS) as BitnamiLayout[]).find(
    (l) => major >= SUPPORTED_MAJORS[l].from && major <= SUPPORTED_MAJORS[l].to,
  );
  if (!layout) {
    const ranges = Object.values(SUPPORTED_MAJORS)
      .map((r) => (r.from === r.to ? `${r.from}.x` : `${r.from}.x to ${r.to}.x`))
      .join(' and ');
    throw new HelmSynthError(
      where,
      `bitnami/postgresql ${version} is not supported: helm-synth knows the values and object names of ${ranges}`,
    );
  }
  return { version: checked, major, layout };
}

/** The images bitnami/postgresql can run, named as in `PostgresImages`. */
export enum BitnamiImageRole {
  /** The database itself (`image`). */
  POSTGRESQL = 'postgresql',
  /** The init container that chowns the volume, when `volumePermissions.enabled` (`volumePermissions.image`). */
  VOLUME_PERMISSIONS = 'volumePermissions',
  /** The Prometheus exporter sidecar, when `metrics.enabled` (`metrics.image`). */
  METRICS = 'metrics',
}

/** The values key of each image, the same in every supported major. */
export const BITNAMI_IMAGE_KEYS: Readonly<Record<BitnamiImageRole, string>> = {
  [BitnamiImageRole.POSTGRESQL]: 'image',
  [BitnamiImageRole.VOLUME_PERMISSIONS]: 'volumePermissions.image',
  [BitnamiImageRole.METRICS]: 'metrics.image',
};

/** A container image as bitnami's `common.images.image` helper builds it: `<registry>/<repository>:<tag>` (or `@<digest>`). */
export interface BitnamiImage {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  /** `sha256:<64 hex>`. */
  readonly digest?: string;
}

/**
 * How the bitnami/common inside a chart version reacts to images other than the ones the chart
 * was released with (`common.errors.insecureImages`, called from the chart's NOTES.txt).
 */
export enum InsecureImageCheck {
  /** No check: bitnami/common 1.x (10.x). */
  NONE = 'none',
  /**
   * bitnami/common 2.31 and later: an image moved to `docker.io/bitnamilegacy/` is a warning; any
   * other registry or repository fails the render unless `global.security.allowInsecureImages`.
   */
  LEGACY_WARNS = 'legacy-warns',
  /** Not known (a version helm-synth does not pin): any substitution may fail the render, so any sets the flag. */
  ANY_MAY_FAIL = 'any-may-fail',
}

/** What helm-synth knows of one pinned chart version beyond its layout. */
export interface PinnedBitnamiVersion {
  /** A repository whose index lists the version. */
  readonly repository: string;
  /** Images that pull today, with the tags of the version's values.yaml. */
  readonly images: Readonly<Record<BitnamiImageRole, BitnamiImage>>;
  /** The check its bitnami/common makes of substituted images. */
  readonly insecureImageCheck: InsecureImageCheck;
  /** Whether its bitnami/common reads `<image>.digest` (1.x does not: a digest then goes into the tag as `<tag>@<digest>`). */
  readonly digestKey: boolean;
}

const legacyImage = (name: string, tag: string): BitnamiImage => ({
  registry: 'docker.io',
  repository: `${BITNAMI_LEGACY_NAMESPACE}/${name}`,
  tag,
});

/**
 * The chart versions helm-synth pins images and a repository for. Tags are those of each version's
 * values.yaml (`image.tag`, `volumePermissions.image.tag`, `metrics.image.tag`); the repository is
 * `docker.io/bitnamilegacy/*` because the `docker.io/bitnami/*` tags no longer exist (bitnami/charts#35164,
 * bitnami/containers#83267). 10.8.0 is only in the full index (bitnami/charts#10833); 17.1.0 is on the
 * OCI registry. 17.1.0 ships bitnami/common 2.31.7, whose `common.errors.insecureImages` only warns
 * about `bitnamilegacy` images; 10.8.0's bitnami/common 1.7.0 has no such check and no digest key.
 */
export const PINNED_BITNAMI_VERSIONS: Readonly<Record<string, PinnedBitnamiVersion>> = {
  '10.8.0': {
    repository: BITNAMI_FULL_INDEX_REPOSITORY,
    images: {
      [BitnamiImageRole.POSTGRESQL]: legacyImage('postgresql', '11.12.0-debian-10-r44'),
      [BitnamiImageRole.VOLUME_PERMISSIONS]: legacyImage('bitnami-shell', '10-debian-10-r125'),
      [BitnamiImageRole.METRICS]: legacyImage('postgres-exporter', '0.9.0-debian-10-r108'),
    },
    insecureImageCheck: InsecureImageCheck.NONE,
    digestKey: false,
  },
  '17.1.0': {
    repository: BITNAMI_OCI_REPOSITORY,
    images: {
      [BitnamiImageRole.POSTGRESQL]: legacyImage('postgresql', '17.6.0-debian-12-r4'),
      [BitnamiImageRole.VOLUME_PERMISSIONS]: legacyImage('os-shell', '12-debian-12-r51'),
      [BitnamiImageRole.METRICS]: legacyImage('postgres-exporter', '0.17.1-debian-12-r16'),
    },
    insecureImageCheck: InsecureImageCheck.LEGACY_WARNS,
    digestKey: true,
  },
};

/** The names bitnami's own images had under `docker.io/bitnami/`, per role and layout (what `common.errors.insecureImages` compares with). */
const ORIGINAL_IMAGE_NAMES: Readonly<Record<BitnamiImageRole, readonly string[]>> = {
  [BitnamiImageRole.POSTGRESQL]: ['postgresql'],
  [BitnamiImageRole.VOLUME_PERMISSIONS]: ['bitnami-shell', 'os-shell'],
  [BitnamiImageRole.METRICS]: ['postgres-exporter'],
};

/** Whether an image makes the version's bitnami/common fail the render unless `global.security.allowInsecureImages` is true. */
export function needsInsecureImagesFlag(check: InsecureImageCheck, role: BitnamiImageRole, image: BitnamiImage): boolean {
  if (check === InsecureImageCheck.NONE) return false;
  const original = image.registry === 'docker.io' && ORIGINAL_IMAGE_NAMES[role].some((name) => image.repository === `bitnami/${name}`);
  if (original) return false;
  const legacy = image.registry === 'docker.io' && image.repository.startsWith(`${BITNAMI_LEGACY_NAMESPACE}/`);
  return check === InsecureImageCheck.ANY_MAY_FAIL || !legacy;
}

/** The user and group bitnami's images run as. */
const BITNAMI_USER = 1001;

/** The security contexts that make the chart's pods meet Pod Security Standards "restricted", as far as a layout passes them to the pod. */
export interface BitnamiPodSecurity {
  readonly [valuesKey: string]: { readonly [key: string]: JsonValue };
}

/**
 * Per layout, the values that make the pods restricted-compliant. bitnami's own user (1001) and
 * fsGroup stay: 10.x's volume-permissions init container chowns the volume to them. `runAsNonRoot`
 * is set per container, not for the pod: the volume-permissions init container (off by default)
 * runs as root in both layouts, and a pod-level `runAsNonRoot` would stop it from starting.
 * 10.x passes every field of `securityContext`, `containerSecurityContext` and
 * `metrics.securityContext` through (`omit ... "enabled" | toYaml`); 11+ does the same for
 * `*.podSecurityContext` / `*.containerSecurityContext`.
 */
export function bitnamiPodSecurity(layout: BitnamiLayout): BitnamiPodSecurity {
  const pod = (): { [key: string]: JsonValue } => ({ enabled: true, fsGroup: BITNAMI_USER, seccompProfile: { type: 'RuntimeDefault' } });
  const container = (): { [key: string]: JsonValue } => ({
    enabled: true,
    runAsUser: BITNAMI_USER,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
  if (layout === BitnamiLayout.LEGACY) {
    return { securityContext: pod(), containerSecurityContext: container(), 'metrics.securityContext': container() };
  }
  return {
    'primary.podSecurityContext': pod(),
    'primary.containerSecurityContext': container(),
    'readReplicas.podSecurityContext': pod(),
    'readReplicas.containerSecurityContext': container(),
    'metrics.containerSecurityContext': container(),
  };
}

/** What a PostgresRelease asks of the chart (checked literals), before it is mapped to the version's keys; see PostgresReleaseProps. */
export interface BitnamiSettings {
  readonly user?: string;
  readonly database?: string;
  readonly existingSecret?: string;
  readonly fullnameOverride?: string;
  readonly persistence?: { readonly enabled?: boolean; readonly size?: string; readonly storageClass?: string };
  /** Every image the chart can run, resolved (pinned defaults with the overrides applied). */
  readonly images: Readonly<Record<BitnamiImageRole, BitnamiImage>>;
  /** Whether the version's bitnami/common reads `<image>.digest`; else a digest is written as `<tag>@<digest>`. */
  readonly digestKey: boolean;
  /** Whether `global.security.allowInsecureImages` must be true for these images. */
  readonly allowInsecureImages: boolean;
  readonly resources?: { readonly [key: string]: JsonValue };
}

/** The chart's values for the settings, under the keys of the version's layout; no password ever. */
export function bitnamiValues(layout: BitnamiLayout, settings: BitnamiSettings): { [key: string]: JsonValue } {
  const values: { [key: string]: JsonValue } = {};
  const put = (path: string, value: JsonValue | undefined): void => {
    if (value === undefined) return;
    const keys = path.split('.');
    let node = values;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as { [key: string]: JsonValue };
    node[keys[keys.length - 1]] = value;
  };
  const legacy = layout === BitnamiLayout.LEGACY;
  put('fullnameOverride', settings.fullnameOverride);
  for (const role of Object.values(BitnamiImageRole)) {
    const image = settings.images[role];
    const key = BITNAMI_IMAGE_KEYS[role];
    put(`${key}.registry`, image.registry);
    put(`${key}.repository`, image.repository);
    put(`${key}.tag`, image.digest && !settings.digestKey ? `${image.tag}@${image.digest}` : image.tag);
    if (image.digest && settings.digestKey) put(`${key}.digest`, image.digest);
  }
  if (settings.allowInsecureImages) put('global.security.allowInsecureImages', true);
  if (legacy) {
    put('postgresqlUsername', settings.user ?? POSTGRES_SUPERUSER);
    put('postgresqlDatabase', settings.database);
    put('existingSecret', settings.existingSecret);
  } else {
    put('auth.enablePostgresUser', true);
    put('auth.username', settings.user);
    put('auth.database', settings.database);
    put('auth.existingSecret', settings.existingSecret);
  }
  const persistence = legacy ? 'persistence' : 'primary.persistence';
  put(`${persistence}.enabled`, settings.persistence?.enabled);
  put(`${persistence}.storageClass`, settings.persistence?.storageClass);
  put(`${persistence}.size`, settings.persistence?.size);
  put(legacy ? 'resources' : 'primary.resources', settings.resources);
  for (const [key, context] of Object.entries(bitnamiPodSecurity(layout))) put(key, context);
  return values;
}

/** A password the chart reads: its values key, its key in the chart's Secret, and whose it is. */
export interface BitnamiPassword {
  readonly valuesKey: string;
  readonly secretKey: string;
  readonly role: string;
}

/** The passwords the chart needs for a layout and app role (helm-synth never gives them a default). */
export function bitnamiPasswords(layout: BitnamiLayout, user: string | undefined): readonly BitnamiPassword[] {
  if (layout === BitnamiLayout.LEGACY) {
    const role = user ?? POSTGRES_SUPERUSER;
    const own = { valuesKey: 'postgresqlPassword', secretKey: 'postgresql-password', role };
    return role === POSTGRES_SUPERUSER
      ? [own]
      : [{ valuesKey: 'postgresqlPostgresPassword', secretKey: 'postgresql-postgres-password', role: POSTGRES_SUPERUSER }, own];
  }
  const admin = { valuesKey: 'auth.postgresPassword', secretKey: 'postgres-password', role: POSTGRES_SUPERUSER };
  return user === undefined ? [admin] : [admin, { valuesKey: 'auth.password', secretKey: 'password', role: user }];
}

/** Names of what the chart creates, for a release whose name is known when synthesizing. */
export interface BitnamiNames {
  /** The chart's full name, which is also its Service's name. */
  readonly fullname: string;
  /** The Secret that holds the admin password. */
  readonly secretName: string;
  /** The key of the admin password in it. */
  readonly adminPasswordKey: string;
}

/** The names the chart gives its objects in a release named `releaseName` (bitnami's fullname rule). */
export function bitnamiNames(layout: BitnamiLayout, chartName: string, releaseName: string, settings: BitnamiSettings): BitnamiNames {
  const cut = (name: string): string => name.slice(0, 63).replace(/-+$/, '');
  const fullname = settings.fullnameOverride
    ? cut(settings.fullnameOverride)
    : cut(releaseName.includes(chartName) ? releaseName : `${releaseName}-${chartName}`);
  return {
    fullname,
    secretName: settings.existingSecret ?? fullname,
    adminPasswordKey: bitnamiPasswords(layout, settings.user)[0].secretKey,
  };
}

/**
 * Go-template operands, evaluated in the parent chart, that compute what the chart creates from
 * the values under `key` at install time, as the chart's own helpers do (`global.*` overrides aside).
 * Nested keys are read as `((.Values.k).a).b`, which yields nothing instead of failing when a level
 * is missing (Helm renders with missingkey=zero); `dig` is no use here, because Helm hands a
 * subchart's values to the parent as `chartutil.Values`, which `dig` rejects.
 */
export interface BitnamiExpressions {
  readonly host: string;
  readonly port: string;
  readonly secretName: string;
  readonly adminPasswordKey: string;
}

/** The expressions of a dependency under the values key `key` (its alias, or `postgresql`). */
export function bitnamiExpressions(layout: BitnamiLayout, key: string): BitnamiExpressions {
  const read = (fallback: string, ...path: string[]): string => {
    const parents = path.slice(0, -1).reduce((operand, segment) => `(${operand}.${segment})`, `(.Values.${key})`);
    return `(default ${fallback} ${parents}.${path[path.length - 1]})`;
  };
  const name = `(default ${JSON.stringify(key)} ${read('""', 'nameOverride')})`;
  const generated = `(ternary .Release.Name (printf "%s-%s" .Release.Name ${name}) (contains ${name} .Release.Name))`;
  const fullname = `(default ${generated} ${read('""', 'fullnameOverride')} | trunc 63 | trimSuffix "-")`;
  if (layout === BitnamiLayout.LEGACY) {
    return {
      host: fullname,
      port: read(String(POSTGRES_DEFAULT_PORT), 'service', 'port'),
      secretName: `(default ${fullname} ${read('""', 'existingSecret')})`,
      adminPasswordKey: `(ternary "postgresql-password" "postgresql-postgres-password" (eq ${read(JSON.stringify(POSTGRES_SUPERUSER), 'postgresqlUsername')} ${JSON.stringify(POSTGRES_SUPERUSER)}))`,
    };
  }
  const existingSecret = read('""', 'auth', 'existingSecret');
  const primary = `(printf "%s-%s" ${fullname} ${read('"primary"', 'primary', 'name')} | trunc 63 | trimSuffix "-")`;
  return {
    host: `(ternary ${primary} ${fullname} (eq ${read('"standalone"', 'architecture')} "replication"))`,
    port: read(String(POSTGRES_DEFAULT_PORT), 'primary', 'service', 'ports', 'postgresql'),
    secretName: `(default ${fullname} ${existingSecret})`,
    adminPasswordKey: `(ternary ${read('""', 'auth', 'secretKeys', 'adminPasswordKey')} "postgres-password" (not (empty ${existingSecret})))`,
  };
}

/** A StorageClass as bitnami/common's `common.storage.class` reads it: a name, `-` for none (`storageClassName: ""`). */
export const STORAGE_CLASS_RULE = orLiteral(DNS_SUBDOMAIN_RULE, '-');

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

type Schema = Record<string, unknown>;

const text = (rule: TextRule, description: string): Schema => ({ ...rule.schema, description: `${description} Must be ${rule.expected}.` });
const map = (description: string, properties?: Record<string, Schema>): Schema => ({
  type: 'object',
  description,
  ...(properties && { properties }),
});
const freeForm = (description: string): Schema => map(`${description} (passed to Kubernetes as it is).`);
const password = (description: string): Schema => ({
  type: 'string',
  description: `${description} (any text: the chart only base64-encodes it into its Secret).`,
  writeOnly: true,
});
const templatedPassword = (description: string): Schema => ({
  ...text(TEMPLATE_FREE_RULE, `${description} (the chart runs it through tpl before storing it).`),
  writeOnly: true,
});
const port = (description: string): Schema => ({ type: 'integer', minimum: 1, maximum: 65535, description });
const flag = (description: string): Schema => ({ type: 'boolean', description });

/**
 * JSON Schema `properties` of the values under the dependency's key: every key helm-synth writes
 * and those users commonly override, typed so that input the chart's templates would print
 * unquoted (image references, names, sizes, StorageClasses) or read as a template (passwords that
 * 11+ runs through `tpl`) fails `helm install` with a schema error naming the key, instead of a YAML
 * parse error inside the dependency or a silently different object. Every key bitnami's own
 * values.yaml sets passes (Helm validates the parent's schema after merging the dependency's
 * defaults). Unknown keys stay allowed: users set any bitnami value.
 */
export function bitnamiValuesSchema(layout: BitnamiLayout): Record<string, unknown> {
  const legacy = layout === BitnamiLayout.LEGACY;
  const image = (what: string): Schema =>
    map(`The ${what} image.`, {
      registry: text(orEmpty(IMAGE_REGISTRY_RULE), 'Registry host (empty: the repository alone).'),
      repository: text(IMAGE_REPOSITORY_RULE, 'Repository path.'),
      tag: text(IMAGE_TAG_RULE, 'Tag.'),
      ...(!legacy && { digest: text(orEmpty(IMAGE_DIGEST_RULE), 'Digest; replaces the tag when set.') }),
      pullPolicy: { type: 'string', enum: PULL_POLICIES, description: 'When the kubelet pulls the image.' },
    });
  const persistence = (what: string): Schema =>
    map(`The data volume of the ${what}.`, {
      enabled: flag('Keep the data on a PersistentVolumeClaim.'),
      size: text(QUANTITY_RULE, 'Size of the claim.'),
      storageClass: text(orEmpty(STORAGE_CLASS_RULE), "StorageClass of the claim (empty: the cluster's default)."),
      existingClaim: text(orEmpty(DNS_SUBDOMAIN_RULE), 'An existing PersistentVolumeClaim to use instead.'),
      accessModes: { type: 'array', items: { type: 'string', enum: ACCESS_MODES }, description: 'Access modes of the claim.' },
    });
  const name = (description: string): Schema => text(PLAIN_POSTGRES_NAME_RULE, description);
  const optionalName = (description: string): Schema => text(orEmpty(PLAIN_POSTGRES_NAME_RULE), description);
  const secret = (description: string): Schema => text(orEmpty(DNS_SUBDOMAIN_RULE), description);
  const storageClass = text(orEmpty(STORAGE_CLASS_RULE), "StorageClass of every claim (empty: each claim's own).");
  const common: Record<string, Schema> = {
    fullnameOverride: text(orEmpty(DNS_LABEL_RULE), "Replaces the full name of the chart's objects."),
    nameOverride: text(orEmpty(DNS_LABEL_RULE), 'Replaces the chart name in object names.'),
    image: image('PostgreSQL'),
    volumePermissions: map('The init container that chowns the volume.', { enabled: flag('Run it.'), image: image('volume-permissions') }),
  };
  if (legacy) {
    return {
      ...common,
      metrics: map('The Prometheus exporter.', {
        enabled: flag('Run it.'),
        image: image('exporter'),
        securityContext: freeForm('Security context of the exporter'),
      }),
      global: map('Values bitnami/postgresql shares with other charts.', {
        imageRegistry: text(orEmpty(IMAGE_REGISTRY_RULE), 'Registry of every image.'),
        storageClass,
        postgresql: map('Overrides of the postgresql* keys.', {
          postgresqlUsername: optionalName('Overrides postgresqlUsername.'),
          postgresqlDatabase: optionalName('Overrides postgresqlDatabase.'),
          existingSecret: secret('Overrides existingSecret.'),
          postgresqlPassword: password('Overrides postgresqlPassword'),
          replicationPassword: password('Overrides replication.password'),
        }),
      }),
      postgresqlUsername: name('The role the chart creates (the superuser when postgres).'),
      postgresqlDatabase: optionalName('A database the chart creates at first start.'),
      postgresqlPassword: password('Password of postgresqlUsername'),
      postgresqlPostgresPassword: password('Password of postgres when postgresqlUsername is another role'),
      existingSecret: secret('A Secret holding the passwords.'),
      persistence: persistence('database'),
      service: map('The Service.', { port: port('Port of the Service.') }),
      replication: map('Read replicas.', {
        enabled: flag('Run read replicas.'),
        user: name('The replication role.'),
        password: password('Its password'),
      }),
      resources: freeForm('Resources of the database container'),
      securityContext: freeForm('Pod security context'),
      containerSecurityContext: freeForm('Container security context'),
    };
  }
  const secretKey = (description: string): Schema => text(SECRET_KEY_RULE, description);
  const optionalSecretKey = (description: string): Schema => text(orEmpty(SECRET_KEY_RULE), description);
  const pods = (what: string): Record<string, Schema> => ({
    name: text(DNS_LABEL_RULE, `Name of the ${what} (a suffix of object names).`),
    persistence: persistence(what),
    resources: freeForm(`Resources of the ${what} container`),
    podSecurityContext: freeForm(`Pod security context of the ${what}`),
    containerSecurityContext: freeForm(`Container security context of the ${what}`),
  });
  return {
    ...common,
    architecture: {
      type: 'string',
      enum: ['standalone', 'replication'],
      description: 'standalone, or replication (a primary and read replicas).',
    },
    metrics: map('The Prometheus exporter.', {
      enabled: flag('Run it.'),
      image: image('exporter'),
      containerSecurityContext: freeForm('Security context of the exporter'),
    }),
    global: map('Values bitnami/postgresql shares with other charts.', {
      imageRegistry: text(orEmpty(IMAGE_REGISTRY_RULE), 'Registry of every image.'),
      storageClass,
      defaultStorageClass: storageClass,
      security: map('Image checks of bitnami/common.', { allowInsecureImages: flag("Allow images other than the chart's own.") }),
      postgresql: map('Overrides of the auth.* keys.', {
        fullnameOverride: text(orEmpty(DNS_LABEL_RULE), 'Overrides fullnameOverride.'),
        auth: map('Overrides of auth.*.', {
          postgresPassword: password('Overrides auth.postgresPassword'),
          username: optionalName('Overrides auth.username.'),
          password: templatedPassword('Overrides auth.password'),
          database: optionalName('Overrides auth.database.'),
          existingSecret: secret('Overrides auth.existingSecret.'),
          secretKeys: map('Overrides of auth.secretKeys.*.', {
            adminPasswordKey: optionalSecretKey('Overrides auth.secretKeys.adminPasswordKey.'),
            userPasswordKey: optionalSecretKey('Overrides auth.secretKeys.userPasswordKey.'),
            replicationPasswordKey: optionalSecretKey('Overrides auth.secretKeys.replicationPasswordKey.'),
          }),
        }),
      }),
    }),
    auth: map('Roles, database and passwords.', {
      enablePostgresUser: flag('Give the postgres superuser a password.'),
      postgresPassword: password('Password of postgres'),
      username: optionalName('A role the chart creates.'),
      password: templatedPassword('Password of username'),
      database: optionalName('A database the chart creates.'),
      replicationUsername: name('The replication role.'),
      replicationPassword: templatedPassword('Its password'),
      existingSecret: secret('A Secret holding the passwords.'),
      secretKeys: map('Keys of the passwords in existingSecret.', {
        adminPasswordKey: secretKey('Key of the postgres password.'),
        userPasswordKey: secretKey('Key of the password of username.'),
        replicationPasswordKey: secretKey('Key of the replication password.'),
      }),
      usePasswordFiles: flag('Mount the passwords as files instead of env variables.'),
    }),
    primary: map('The primary.', {
      ...pods('primary'),
      service: map('Its Service.', { ports: map('Ports.', { postgresql: port('Port of the Service.') }) }),
    }),
    readReplicas: map('The read replicas (architecture replication).', pods('read replicas')),
  };
}
