import { nameExpression } from '../chart/expression-names';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import {
  DNS_SUBDOMAIN_RULE,
  HOST_RULE,
  isDnsSubdomain,
  isSecretKey,
  PLAIN_POSTGRES_NAME_RULE,
  SECRET_KEY_RULE,
  TextRule,
} from '../tokens/checks';
import { goString } from '../tokens/go-template';
import { hasToken, Token, TokenUse, wholeToken } from '../tokens/token';
import { Condition } from '../values/condition';
import { Value } from '../values/value';
import { POSTGRES_DEFAULT_PORT, POSTGRES_SUPERUSER } from './bitnami-postgresql';

/** A key of a Secret: its name (a literal or a string token) and the key that holds the value. */
export interface SecretKeyRef {
  /** The Secret's name. */
  readonly name: string;
  /** The key in its data. */
  readonly key: string;
}

/** Where a database is, seen from the chart of a construct that uses it. */
export enum DatabasePlacement {
  /** Installed by the same release: it exists only once the release's normal resources do. */
  SAME_RELEASE = 'same-release',
  /** Installed by another release, or outside Helm: it exists before this release starts. */
  OTHER_RELEASE = 'other-release',
}

/** A PostgreSQL server reached from outside the release that runs it. */
export interface ExternalPostgresOptions {
  /**
   * Host name: for a server in another namespace the FQDN `<service>.<namespace>.svc.cluster.local`.
   * A string token (e.g. a chart value) works.
   */
  readonly host: string;
  /**
   * Port: a number or a number token.
   * @default 5432
   */
  readonly port?: number;
  /**
   * A role allowed to create roles and databases.
   * @default 'postgres'
   */
  readonly adminUser?: string;
  /**
   * The Secret holding the admin password. Pods read Secrets of their own namespace only: for a
   * server in another namespace, name a copy of it in the release's namespace.
   */
  readonly adminSecret: SecretKeyRef;
  /**
   * The chart whose release installs the server, when it is a chart of this app: a hook of that
   * chart then knows the server belongs to its own release.
   * @default none: the server is installed outside this app's charts
   */
  readonly installedBy?: HelmChart;
  /**
   * What the server is, for messages and docs.
   * @default 'PostgreSQL at <host>'
   */
  readonly description?: string;
}

/**
 * Former name of `ExternalPostgresOptions`.
 * @deprecated Use `ExternalPostgresOptions` (the options of the method `PostgresConnection.external`; cdk8s names what a method takes `Options`). Kept for one minor version.
 */
export type ExternalPostgresProps = ExternalPostgresOptions;

/** The parts of a connection whose values are template expressions of one chart. */
export interface ReleaseScopedPostgresOptions {
  /** The chart whose templates may use the expressions: the one that installs the server. */
  readonly chart: HelmChart;
  /** Go-template operand of the host. */
  readonly hostExpression: string;
  /** Go-template operand of the port (an integer or a string of digits). */
  readonly portExpression: string;
  /** The admin role. */
  readonly adminUser: string;
  /** Go-template operands of the admin Secret's name and key. */
  readonly adminSecretExpressions: SecretKeyRef;
  /** The value that must be true for the server to be installed. @default none: always installed */
  readonly condition?: Condition;
  /**
   * Values path of the server the chart's templates use while `condition` is false. `host`,
   * `adminSecret.name` and `adminSecret.key` (required then), `port` (default 5432) and `adminUser`
   * (default `postgres`) are declared under it, and every field of the connection is chosen by
   * `condition` at install time. Needs `condition`.
   * @default none: nothing can reach the server while `condition` is false (a DbBootstrapHook on it is left out then)
   */
  readonly externalValuesPath?: string;
  /** What the server is, for messages and docs. */
  readonly description: string;
}

/**
 * Former name of `ReleaseScopedPostgresOptions`.
 * @deprecated Use `ReleaseScopedPostgresOptions` (the options of the method `PostgresConnection.releaseScoped`; cdk8s names what a method takes `Options`). Kept for one minor version.
 */
export type ReleaseScopedPostgresProps = ReleaseScopedPostgresOptions;

const POSTGRES_CONNECTION = Symbol.for('helm-synth.PostgresConnection');

/**
 * How to reach a PostgreSQL server and log in as its admin: host, port, admin role and the Secret
 * key of the admin password. Every field is a literal or a token, so a Deployment's env or a
 * `DbBootstrapHook` is wired to it without writing names by hand.
 *
 * A connection of a `PostgresRelease` is release-scoped: its fields are expressions over the
 * installing chart's values and release name, valid only in that chart's templates. Other charts
 * use `PostgresRelease.externalConnection` or `PostgresConnection.external`.
 */
export class PostgresConnection {
  /** True for a PostgresConnection of any copy of the library. */
  public static isPostgresConnection(x: unknown): x is PostgresConnection {
    return typeof x === 'object' && x !== null && POSTGRES_CONNECTION in x;
  }

  /** A server outside the release that uses it: another release, another namespace, or outside Helm. */
  public static external(props: ExternalPostgresOptions): PostgresConnection {
    const where = props?.installedBy?.node.path ?? 'PostgresConnection.external';
    if (!props || typeof props !== 'object')
      throw new HelmSynthError(where, 'PostgresConnection.external needs props with host and adminSecret');
    const host = checkHost(props.host, where);
    const port = checkPort(props.port ?? POSTGRES_DEFAULT_PORT, where);
    return new PostgresConnection({
      host,
      port,
      portText: portText(port),
      adminUser: checkField('adminUser', props.adminUser ?? POSTGRES_SUPERUSER, where),
      adminSecret: checkSecretKeyRef(props.adminSecret, 'adminSecret', where),
      installedBy: props.installedBy,
      releaseScoped: false,
      description: props.description ?? `PostgreSQL at ${host}`,
    });
  }

  /**
   * A server installed by `props.chart`'s own release, its fields computed at install time; with
   * `externalValuesPath`, the server in those values while `props.condition` is false.
   */
  public static releaseScoped(props: ReleaseScopedPostgresOptions): PostgresConnection {
    const where = props.chart.node.path;
    const named = (token: Token, what: string): Token => {
      nameExpression(token, `database ${what}`);
      return token;
    };
    const token = (operand: string, what: string): string =>
      named(new Token({ use: TokenUse.STRING, owner: props.chart, description: `${what} of ${props.description}`, operand }), what).marker;
    let operands = {
      host: props.hostExpression,
      port: props.portExpression,
      adminUser: goString(props.adminUser),
      ...props.adminSecretExpressions,
    };
    if (props.externalValuesPath !== undefined) {
      if (!props.condition) {
        throw new HelmSynthError(
          where,
          `externalValuesPath ${describeValue(props.externalValuesPath)} needs a condition: the external server is used while it is false`,
        );
      }
      const external = declareExternalServer(props.chart, props.externalValuesPath, props.condition, props.description);
      const on = props.condition.expression;
      const choose = (bundled: string, value: Value): string => `(ternary ${bundled} ${value.expression} ${on})`;
      const missing = (value: Value): string =>
        `value ${value.path} is required when ${props.condition!.description} is false (${props.description} is not installed then)`;
      const required = (bundled: string, value: Value): string => `(required ${goString(missing(value))} ${choose(bundled, value)})`;
      operands = {
        host: required(operands.host, external.host),
        port: choose(operands.port, external.port),
        adminUser: choose(operands.adminUser, external.adminUser),
        name: required(operands.name, external.secretName),
        key: required(operands.key, external.secretKey),
      };
    }
    return new PostgresConnection({
      host: token(operands.host, 'host'),
      port: named(
        new Token({ use: TokenUse.INTEGER, owner: props.chart, description: `port of ${props.description}`, operand: operands.port }),
        'port',
      ).number,
      portText: token(`(${operands.port} | int64 | toString)`, 'port'),
      adminUser: props.externalValuesPath === undefined ? props.adminUser : token(operands.adminUser, 'admin user'),
      adminSecret: { name: token(operands.name, 'admin Secret name'), key: token(operands.key, 'admin Secret key') },
      installedBy: props.chart,
      releaseScoped: true,
      condition: props.condition,
      externalValuesPath: props.externalValuesPath,
      description: props.description,
    });
  }

  /** Host name or address. */
  public readonly host: string;
  /** Port, as a number (or number token) for Service and probe fields. */
  public readonly port: number;
  /** Port, as a string (or string token) for environment variables. */
  public readonly portText: string;
  /** The admin role. */
  public readonly adminUser: string;
  /** The Secret key of the admin password. */
  public readonly adminSecret: SecretKeyRef;
  /** The chart whose release installs the server, when it is one of this app. */
  public readonly installedBy?: HelmChart;
  /** True when the fields are expressions valid only in `installedBy`'s templates. */
  public readonly releaseScoped: boolean;
  /** The value that switches the server on in `installedBy`, if any. */
  public readonly condition?: Condition;
  /** Values path of the server used while `condition` is false, if the chart has one. */
  public readonly externalValuesPath?: string;
  /** What the server is. */
  public readonly description: string;

  private constructor(fields: {
    host: string;
    port: number;
    portText: string;
    adminUser: string;
    adminSecret: SecretKeyRef;
    installedBy?: HelmChart;
    releaseScoped: boolean;
    condition?: Condition;
    externalValuesPath?: string;
    description: string;
  }) {
    this.host = fields.host;
    this.port = fields.port;
    this.portText = fields.portText;
    this.adminUser = fields.adminUser;
    this.adminSecret = fields.adminSecret;
    this.installedBy = fields.installedBy;
    this.releaseScoped = fields.releaseScoped;
    this.condition = fields.condition;
    this.externalValuesPath = fields.externalValuesPath;
    this.description = fields.description;
    Object.defineProperty(this, POSTGRES_CONNECTION, { value: true });
  }

  /**
   * Where the server is, seen from the chart of `scope`. Fails when the connection is
   * release-scoped and `scope` is in another chart.
   */
  public placementFor(scope: IConstruct): DatabasePlacement {
    const chart = HelmChart.of(scope);
    if (this.installedBy === chart) return DatabasePlacement.SAME_RELEASE;
    if (this.releaseScoped) {
      throw new HelmSynthError(
        scope.node.path,
        `the connection to ${this.description} is computed from the values of chart ${this.installedBy!.chartName} and only works in its templates; from chart ${chart.chartName} use the release's externalConnection (its chart must fix its release name and namespace) or PostgresConnection.external`,
      );
    }
    return DatabasePlacement.OTHER_RELEASE;
  }

  /**
   * Declares the connection's fields as values of `chart` under `path` (`host`, `port`,
   * `adminUser`, `adminSecret.name`, `adminSecret.key`), defaulting to this connection, and
   * returns the connection that reads them, so users can point the chart elsewhere at install time.
   */
  public withValues(chart: HelmChart, path: string): PostgresConnection {
    if (this.releaseScoped) {
      throw new HelmSynthError(
        chart.node.path,
        `the connection to ${this.description} is computed at install time from chart ${this.installedBy!.chartName}'s values; it cannot be the default of other values`,
      );
    }
    const v = chart.values;
    v.describe(path, `The PostgreSQL server (default: ${this.description}).`);
    const text = (key: ConnectionTextField, value: string, description: string): string =>
      hasToken(value) ? value : declareField(chart, `${path}.${key}`, key, description, value).asString();
    const host = text('host', this.host, 'Host name of the PostgreSQL server (a FQDN for a server in another namespace).');
    const port = hasToken(this.port)
      ? undefined
      : v.integer(`${path}.port`, { default: this.port, minimum: 1, maximum: 65535, description: 'Port of the PostgreSQL server.' });
    v.describe(
      `${path}.adminSecret`,
      "The Secret holding the admin password; it must be in the release's namespace (pods cannot read Secrets of other namespaces).",
    );
    return new PostgresConnection({
      host,
      port: port ? port.asNumber() : this.port,
      portText: port ? port.asString() : this.portText,
      adminUser: text('adminUser', this.adminUser, 'A role allowed to create roles and databases.'),
      adminSecret: {
        name: text('adminSecret.name', this.adminSecret.name, 'Name of the Secret.'),
        key: text('adminSecret.key', this.adminSecret.key, 'Key of the admin password in it.'),
      },
      installedBy: this.installedBy,
      releaseScoped: false,
      description: this.description,
    });
  }

  /** An env value reading the admin password from its Secret (`secretKeyRef`). */
  public adminPasswordEnv(scope: Construct, id: string): kplus.EnvValue {
    return secretKeyEnv(scope, id, this.adminSecret);
  }
}

/** An env value reading one key of a Secret by name (`secretKeyRef`); `id` names the reference construct. */
export function secretKeyEnv(scope: Construct, id: string, ref: SecretKeyRef): kplus.EnvValue {
  return kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(scope, id, ref.name), key: ref.key });
}

/** Checks a Secret key reference (literals must be a DNS subdomain and a valid key; tokens pass). */
export function checkSecretKeyRef(ref: unknown, field: string, where: string): SecretKeyRef {
  const value = ref as SecretKeyRef;
  if (!value || typeof value !== 'object' || typeof value.name !== 'string' || typeof value.key !== 'string') {
    throw new HelmSynthError(where, `${field} ${describeValue(ref)} must be { name, key } of a Secret`);
  }
  if (!hasToken(value.name) && !isDnsSubdomain(value.name)) {
    throw new HelmSynthError(where, `${field}.name ${describeValue(value.name)} is not a Secret name (a DNS-1123 subdomain)`);
  }
  if (!hasToken(value.key) && !isSecretKey(value.key)) {
    throw new HelmSynthError(where, `${field}.key ${describeValue(value.key)} is not a Secret key (letters, digits, '-', '_', '.')`);
  }
  return { name: value.name, key: value.key };
}

/** The values of a server outside the release, declared under `path`, used while `condition` is false. */
function declareExternalServer(
  chart: HelmChart,
  path: string,
  condition: Condition,
  bundled: string,
): { host: Value; port: Value; adminUser: Value; secretName: Value; secretKey: Value } {
  const v = chart.values;
  if (v.tryGet(`${path}.host`)) {
    throw new HelmSynthError(
      chart.node.path,
      `values ${path}.* already hold another external server; give each release-scoped connection its own externalValuesPath`,
    );
  }
  const when = `when ${condition.description} is false`;
  const text = (key: ConnectionTextField, description: string, defaultValue?: string): Value =>
    declareField(chart, `${path}.${key}`, key, description, defaultValue);
  v.describe(path, `The PostgreSQL server the chart uses ${when} (${bundled} is then not installed).`);
  v.describe(
    `${path}.adminSecret`,
    "The Secret holding the admin password; it must be in the release's namespace (pods cannot read Secrets of other namespaces).",
  );
  return {
    host: text('host', `Host name of the server, required ${when} (a FQDN for a server in another namespace).`),
    port: v.integer(`${path}.port`, { default: POSTGRES_DEFAULT_PORT, minimum: 1, maximum: 65535, description: 'Port of the server.' }),
    adminUser: text('adminUser', 'A role allowed to create roles and databases.', POSTGRES_SUPERUSER),
    secretName: text('adminSecret.name', `Name of the Secret, required ${when}.`),
    secretKey: text('adminSecret.key', `Key of the admin password in it, required ${when}.`),
  };
}

function portText(port: number): string {
  if (!hasToken(port)) return String(port);
  const token = wholeToken(port)!;
  return new Token({
    use: TokenUse.STRING,
    owner: token.owner,
    description: token.description,
    operand: (context) => `(${token.operand(context)} | int64 | toString)`,
  }).marker;
}

/**
 * The text fields of a connection and the one rule each is checked with, whichever path declares
 * it: a literal given to `external`, a value `withValues` or an external server declares (its
 * values.schema.json pattern is the same rule), so a field valid on one path is valid on all.
 */
const CONNECTION_FIELD_RULES = {
  host: HOST_RULE,
  adminUser: PLAIN_POSTGRES_NAME_RULE,
  'adminSecret.name': DNS_SUBDOMAIN_RULE,
  'adminSecret.key': SECRET_KEY_RULE,
} as const satisfies Record<string, TextRule>;

/** A text field of a connection. */
type ConnectionTextField = keyof typeof CONNECTION_FIELD_RULES;

/** Checks a literal connection field with its rule (a string token passes); returns it. */
function checkField(field: ConnectionTextField, value: unknown, where: string, shownAs: string = field): string {
  const rule = CONNECTION_FIELD_RULES[field];
  if (typeof value !== 'string' || (!hasToken(value) && !rule.test(value))) {
    throw new HelmSynthError(where, `${shownAs} ${describeValue(value)} must be ${rule.expected}, or a string token`);
  }
  return value;
}

/** Declares a connection field as a string value whose schema is the field's rule. */
function declareField(chart: HelmChart, path: string, field: ConnectionTextField, description: string, defaultValue?: string): Value {
  const rule = CONNECTION_FIELD_RULES[field];
  return chart.values.string(path, {
    description,
    pattern: rule.schema.pattern,
    ...(rule.schema.maxLength !== undefined && { maxLength: rule.schema.maxLength }),
    ...(defaultValue !== undefined && { default: defaultValue }),
  });
}

function checkHost(host: unknown, where: string): string {
  return checkField('host', host, where);
}

function checkPort(port: unknown, where: string): number {
  if (hasToken(port)) return port as number;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new HelmSynthError(where, `port ${describeValue(port)} must be an integer from 1 to 65535, or a number token`);
  }
  return port;
}
