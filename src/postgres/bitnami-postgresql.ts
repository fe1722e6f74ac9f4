import { describeValue, HelmSynthError } from '../errors';
import { SemVer } from '../chart/chart-metadata';
import { isSemVer } from '../policy/versions';
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
import {
  BITNAMI_IMAGE_KEYS,
  BITNAMI_LAYOUTS,
  BITNAMI_LEGACY_NAMESPACE,
  BITNAMI_RESTRICTED_SECURITY_CONTEXTS,
  BitnamiImage,
  BitnamiImageRole,
  BitnamiLayout,
  InsecureImageCheck,
  ORIGINAL_IMAGE_NAMES,
  POSTGRES_DEFAULT_PORT,
  POSTGRES_SUPERUSER,
} from './bitnami-data';

export {
  BITNAMI_FULL_INDEX_REPOSITORY,
  BITNAMI_IMAGE_KEYS,
  BITNAMI_LEGACY_NAMESPACE,
  BITNAMI_OCI_REPOSITORY,
  BITNAMI_POSTGRESQL,
  BITNAMI_REPOSITORY,
  BitnamiImageRole,
  BitnamiLayout,
  InsecureImageCheck,
  PINNED_BITNAMI_VERSIONS,
  POSTGRES_DEFAULT_PORT,
  POSTGRES_SUPERUSER,
} from './bitnami-data';
export type { BitnamiImage, PinnedBitnamiVersion } from './bitnami-data';

/** A pinned bitnami/postgresql version and the layout of its values. */
export interface BitnamiPostgresqlVersion {
  /** The pinned chart version, as checked. */
  readonly version: SemVer;
  /** Its major version, which selects the layout. */
  readonly major: number;
  /** The values keys and images of that major version. */
  readonly layout: BitnamiLayout;
}

/** Checks a pinned chart version (`10.8.0`, not a range) and finds its layout. */
export function bitnamiPostgresqlVersion(version: unknown, where: string): BitnamiPostgresqlVersion {
  if (!isSemVer(version) || /[-+]/.test(version)) {
    throw new HelmSynthError(
      where,
      `chartVersion ${describeValue(version)} must be a pinned bitnami/postgresql version such as 10.8.0 or 17.1.0, not a range`,
    );
  }
  const checked = version as SemVer;
  const major = Number(version.split('.')[0]);
  const layout = Object.values(BitnamiLayout).find((l) => major >= BITNAMI_LAYOUTS[l].majors.from && major <= BITNAMI_LAYOUTS[l].majors.to);
  if (!layout) {
    const ranges = Object.values(BITNAMI_LAYOUTS)
      .map(({ majors: r }) => (r.from === r.to ? `${r.from}.x` : `${r.from}.x to ${r.to}.x`))
      .join(' and ');
    throw new HelmSynthError(
      where,
      `bitnami/postgresql ${version} is not supported: helm-synth knows the values and object names of ${ranges}`,
    );
  }
  return { version: checked, major, layout };
}

/** Whether an image makes the version's bitnami/common fail the render unless `global.security.allowInsecureImages` is true. */
export function needsInsecureImagesFlag(check: InsecureImageCheck, role: BitnamiImageRole, image: BitnamiImage): boolean {
  if (check === InsecureImageCheck.NONE) return false;
  const original = image.registry === 'docker.io' && ORIGINAL_IMAGE_NAMES[role].some((name) => image.repository === `bitnami/${name}`);
  if (original) return false;
  const legacy = image.registry === 'docker.io' && image.repository.startsWith(`${BITNAMI_LEGACY_NAMESPACE}/`);
  return check === InsecureImageCheck.ANY_MAY_FAIL || !legacy;
}

/** The security contexts that make the chart's pods meet Pod Security Standards "restricted", as far as a layout passes them to the pod. */
export interface BitnamiPodSecurity {
  readonly [valuesKey: string]: { readonly [key: string]: JsonValue };
}

/** Per layout, the values that make the pods restricted-compliant (`BITNAMI_RESTRICTED_SECURITY_CONTEXTS` under each of its security-context keys). */
export function bitnamiPodSecurity(layout: BitnamiLayout): BitnamiPodSecurity {
  return Object.fromEntries(
    BITNAMI_LAYOUTS[layout].securityContexts.map(({ valuesKey, kind }) => [
      valuesKey,
      structuredClone(BITNAMI_RESTRICTED_SECURITY_CONTEXTS[kind]),
    ]),
  );
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
  const keys = BITNAMI_LAYOUTS[layout];
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
  for (const [key, value] of Object.entries(keys.fixedValues)) put(key, value);
  put(keys.usernameKey, settings.user ?? keys.usernameDefault);
  put(keys.databaseKey, settings.database);
  put(keys.existingSecretKey, settings.existingSecret);
  put(`${keys.persistenceKey}.enabled`, settings.persistence?.enabled);
  put(`${keys.persistenceKey}.storageClass`, settings.persistence?.storageClass);
  put(`${keys.persistenceKey}.size`, settings.persistence?.size);
  put(keys.resourcesKey, settings.resources);
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
  const keys = BITNAMI_LAYOUTS[layout];
  const superuser = { ...keys.superuserPassword, role: POSTGRES_SUPERUSER };
  if (keys.userIsSuperuserByDefault) {
    const role = user ?? POSTGRES_SUPERUSER;
    const own = { ...keys.userPassword, role };
    return role === POSTGRES_SUPERUSER ? [own] : [superuser, own];
  }
  return user === undefined ? [superuser] : [superuser, { ...keys.userPassword, role: user }];
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
  const keys = BITNAMI_LAYOUTS[layout];
  const port = read(String(POSTGRES_DEFAULT_PORT), ...keys.servicePortKey.split('.'));
  const existingSecret = read('""', ...keys.existingSecretKey.split('.'));
  const secretName = `(default ${fullname} ${existingSecret})`;
  if (layout === BitnamiLayout.LEGACY) {
    const username = read(JSON.stringify(POSTGRES_SUPERUSER), keys.usernameKey);
    return {
      host: fullname,
      port,
      secretName,
      adminPasswordKey: `(ternary ${JSON.stringify(keys.userPassword.secretKey)} ${JSON.stringify(keys.superuserPassword.secretKey)} (eq ${username} ${JSON.stringify(POSTGRES_SUPERUSER)}))`,
    };
  }
  const primary = `(printf "%s-%s" ${fullname} ${read('"primary"', 'primary', 'name')} | trunc 63 | trimSuffix "-")`;
  return {
    host: `(ternary ${primary} ${fullname} (eq ${read('"standalone"', 'architecture')} "replication"))`,
    port,
    secretName,
    adminPasswordKey: `(ternary ${read('""', 'auth', 'secretKeys', 'adminPasswordKey')} ${JSON.stringify(keys.superuserPassword.secretKey)} (not (empty ${existingSecret})))`,
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
