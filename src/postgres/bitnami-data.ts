import { JsonValue } from '../values/value';

/*
 * bitnami/postgresql as data: the keys of each values layout and what helm-synth pins for each
 * chart version it knows. Why each entry is what it is, with sources: docs/postgres.md.
 * test/postgres/bitnami-data.test.ts checks these tables against the real 10.8.0 and 17.1.0 charts.
 */

/** bitnami's chart repository; its index lists only chart versions from 2022 on (docs/postgres.md). */
export const BITNAMI_REPOSITORY = 'https://charts.bitnami.com/bitnami';
/** bitnami's full index, which still lists the versions the truncated one dropped, 10.8.0 among them. */
export const BITNAMI_FULL_INDEX_REPOSITORY = 'https://raw.githubusercontent.com/bitnami/charts/archive-full-index/bitnami';
/** The same charts as OCI artifacts (recent versions only). */
export const BITNAMI_OCI_REPOSITORY = 'oci://registry-1.docker.io/bitnamicharts';
/** Where every versioned bitnami image lives since September 2025 (docs/postgres.md). */
export const BITNAMI_LEGACY_NAMESPACE = 'bitnamilegacy';
/** The name of the chart. */
export const BITNAMI_POSTGRESQL = 'postgresql';
/** The superuser both layouts create; the admin of every connection. */
export const POSTGRES_SUPERUSER = 'postgres';
/** The port of the chart's Service unless its values change it. */
export const POSTGRES_DEFAULT_PORT = 5432;
/** The user and group bitnami's images run as. */
export const BITNAMI_USER = 1001;

/** How a major version of bitnami/postgresql names its values, Secret keys and Services. */
export enum BitnamiLayout {
  /** 10.x: `postgresqlUsername`, `existingSecret`, `persistence.*`; keys `postgresql-password`, `postgresql-postgres-password`. */
  LEGACY = 'legacy',
  /** 11.0.0 and later: `auth.*`, `primary.persistence.*`, `primary.resources`; keys `postgres-password`, `password`. */
  AUTH = 'auth',
}

/** A password of the chart: its values key and its key in the chart's Secret. */
export interface BitnamiPasswordKeys {
  readonly valuesKey: string;
  readonly secretKey: string;
}

/** Whether a security context of the values is a pod's or a container's. */
export enum BitnamiSecurityContextKind {
  POD = 'pod',
  CONTAINER = 'container',
}

/** What one values layout calls each setting helm-synth writes or reads. */
export interface BitnamiLayoutData {
  /** The major versions with this layout. */
  readonly majors: { readonly from: number; readonly to: number };
  /** Values written before the role keys whatever the settings (11+: `auth.enablePostgresUser`). */
  readonly fixedValues: { readonly [valuesKey: string]: JsonValue };
  /** The role the chart creates. */
  readonly usernameKey: string;
  /** The role written when no `user` is given (10.x always names one), if any. */
  readonly usernameDefault?: string;
  /** The database the chart creates. */
  readonly databaseKey: string;
  /** A Secret holding the passwords. */
  readonly existingSecretKey: string;
  /** The map with `enabled`, `size`, `storageClass` of the data volume. */
  readonly persistenceKey: string;
  /** Resources of the database container. */
  readonly resourcesKey: string;
  /** The port of the database Service. */
  readonly servicePortKey: string;
  /** The superuser's password when the chart also creates another role (10.x), or always (11+). */
  readonly superuserPassword: BitnamiPasswordKeys;
  /** The password of the role `usernameKey` names. */
  readonly userPassword: BitnamiPasswordKeys;
  /** Whether the role `usernameKey` names is the superuser unless it is another role (10.x); else the superuser always has its own password. */
  readonly userIsSuperuserByDefault: boolean;
  /** The security-context maps the layout passes to the pods, in the order values.yaml lists them. */
  readonly securityContexts: ReadonlyArray<{ readonly valuesKey: string; readonly kind: BitnamiSecurityContextKind }>;
  /** The chart's default volume size. */
  readonly defaultPersistenceSize: string;
}

/** Each layout's keys. */
export const BITNAMI_LAYOUTS: Readonly<Record<BitnamiLayout, BitnamiLayoutData>> = {
  [BitnamiLayout.LEGACY]: {
    majors: { from: 10, to: 10 },
    fixedValues: {},
    usernameKey: 'postgresqlUsername',
    usernameDefault: POSTGRES_SUPERUSER,
    databaseKey: 'postgresqlDatabase',
    existingSecretKey: 'existingSecret',
    persistenceKey: 'persistence',
    resourcesKey: 'resources',
    servicePortKey: 'service.port',
    superuserPassword: { valuesKey: 'postgresqlPostgresPassword', secretKey: 'postgresql-postgres-password' },
    userPassword: { valuesKey: 'postgresqlPassword', secretKey: 'postgresql-password' },
    userIsSuperuserByDefault: true,
    securityContexts: [
      { valuesKey: 'securityContext', kind: BitnamiSecurityContextKind.POD },
      { valuesKey: 'containerSecurityContext', kind: BitnamiSecurityContextKind.CONTAINER },
      { valuesKey: 'metrics.securityContext', kind: BitnamiSecurityContextKind.CONTAINER },
    ],
    defaultPersistenceSize: '8Gi',
  },
  [BitnamiLayout.AUTH]: {
    majors: { from: 11, to: 17 },
    fixedValues: { 'auth.enablePostgresUser': true },
    usernameKey: 'auth.username',
    databaseKey: 'auth.database',
    existingSecretKey: 'auth.existingSecret',
    persistenceKey: 'primary.persistence',
    resourcesKey: 'primary.resources',
    servicePortKey: 'primary.service.ports.postgresql',
    superuserPassword: { valuesKey: 'auth.postgresPassword', secretKey: 'postgres-password' },
    userPassword: { valuesKey: 'auth.password', secretKey: 'password' },
    userIsSuperuserByDefault: false,
    securityContexts: [
      { valuesKey: 'primary.podSecurityContext', kind: BitnamiSecurityContextKind.POD },
      { valuesKey: 'primary.containerSecurityContext', kind: BitnamiSecurityContextKind.CONTAINER },
      { valuesKey: 'readReplicas.podSecurityContext', kind: BitnamiSecurityContextKind.POD },
      { valuesKey: 'readReplicas.containerSecurityContext', kind: BitnamiSecurityContextKind.CONTAINER },
      { valuesKey: 'metrics.containerSecurityContext', kind: BitnamiSecurityContextKind.CONTAINER },
    ],
    defaultPersistenceSize: '8Gi',
  },
};

/**
 * The security contexts that make a pod meet Pod Security Standards "restricted", per kind, with
 * bitnami's own user and fsGroup; `runAsNonRoot` per container only (docs/postgres.md).
 */
export const BITNAMI_RESTRICTED_SECURITY_CONTEXTS: Readonly<Record<BitnamiSecurityContextKind, { readonly [key: string]: JsonValue }>> = {
  [BitnamiSecurityContextKind.POD]: { enabled: true, fsGroup: BITNAMI_USER, seccompProfile: { type: 'RuntimeDefault' } },
  [BitnamiSecurityContextKind.CONTAINER]: {
    enabled: true,
    runAsUser: BITNAMI_USER,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
};

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

/** The names bitnami's own images had under `docker.io/bitnami/`, per role (what `common.errors.insecureImages` compares with). */
export const ORIGINAL_IMAGE_NAMES: Readonly<Record<BitnamiImageRole, readonly string[]>> = {
  [BitnamiImageRole.POSTGRESQL]: ['postgresql'],
  [BitnamiImageRole.VOLUME_PERMISSIONS]: ['bitnami-shell', 'os-shell'],
  [BitnamiImageRole.METRICS]: ['postgres-exporter'],
};

/** A container image as bitnami's `common.images.image` helper builds it: `<registry>/<repository>:<tag>` (or `@<digest>`). */
export interface BitnamiImage {
  /** The registry host (`docker.io`). */
  readonly registry: string;
  /** The repository in the registry (`bitnamilegacy/postgresql`). */
  readonly repository: string;
  /** The image tag of the chart version's values.yaml. */
  readonly tag: string;
  /** `sha256:<64 hex>`. */
  readonly digest?: string;
}

/** How the bitnami/common inside a chart version reacts to images other than the ones the chart was released with. */
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
  /** The version of the bitnami/common it ships. */
  readonly commonVersion: string;
  /** The PostgreSQL server it runs (its `appVersion`). */
  readonly serverVersion: string;
}

const legacyImage = (name: string, tag: string): BitnamiImage => ({
  registry: 'docker.io',
  repository: `${BITNAMI_LEGACY_NAMESPACE}/${name}`,
  tag,
});

/** The chart versions helm-synth pins images and a repository for (docs/postgres.md). */
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
    commonVersion: '1.7.0',
    serverVersion: '11.12.0',
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
    commonVersion: '2.31.8',
    serverVersion: '17.6.0',
  },
};
