import { describeValue, HelmSynthError } from '../errors';
import { SemVer, semVer } from '../chart/chart-metadata';
import { JsonValue } from '../values/value';

/** Where bitnami/postgresql is published. */
export const BITNAMI_REPOSITORY = 'https://charts.bitnami.com/bitnami';
/** The same charts as OCI artifacts. */
export const BITNAMI_OCI_REPOSITORY = 'oci://registry-1.docker.io/bitnamicharts';
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
    throw new HelmSynthError(where, `chartVersion ${describeValue(version)} must be a pinned bitnami/postgresql version such as 10.8.0 or 17.1.0, not a range`);
  }
  const checked = semVer(version, where, 'chartVersion');
  const major = Number(version.split('.')[0]);
  const layout = (Object.keys(SUPPORTED_MAJORS) as BitnamiLayout[]).find((l) => major >= SUPPORTED_MAJORS[l].from && major <= SUPPORTED_MAJORS[l].to);
  if (!layout) {
    const ranges = Object.values(SUPPORTED_MAJORS).map((r) => (r.from === r.to ? `${r.from}.x` : `${r.from}.x to ${r.to}.x`)).join(' and ');
    throw new HelmSynthError(where, `bitnami/postgresql ${version} is not supported: helm-synth knows the values and object names of ${ranges}`);
  }
  return { version: checked, major, layout };
}

/** What a PostgresRelease asks of the chart (checked literals), before it is mapped to the version's keys; see PostgresReleaseProps. */
export interface BitnamiSettings {
  readonly user?: string;
  readonly database?: string;
  readonly existingSecret?: string;
  readonly fullnameOverride?: string;
  readonly persistence?: { readonly enabled?: boolean; readonly size?: string; readonly storageClass?: string };
  readonly image?: { readonly registry?: string; readonly repository?: string; readonly tag?: string };
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
  for (const field of ['registry', 'repository', 'tag'] as const) put(`image.${field}`, settings.image?.[field]);
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
    return role === POSTGRES_SUPERUSER ? [own] : [{ valuesKey: 'postgresqlPostgresPassword', secretKey: 'postgresql-postgres-password', role: POSTGRES_SUPERUSER }, own];
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
