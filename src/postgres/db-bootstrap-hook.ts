import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { HookJob } from '../hooks/hook-job';
import { HookResources } from '../hooks/hook-pod';
import { HookEvent } from '../hooks/hook-types';
import { Template } from '../chart/template';
import { checkInteger, checkText, isPostgresName } from '../tokens/checks';
import { Release } from '../tokens/release';
import { hasToken } from '../tokens/token';
import { SecretValue, Value, ValueType } from '../values/value';
import { BootstrapEnv, bootstrapScript } from './bootstrap-script';
import { dbBootstrapReadme } from './postgres-readme';
import { checkSecretKeyRef, DatabasePlacement, PostgresConnection, SecretKeyRef, secretKeyEnv } from './postgres-connection';

/** One schema step: SQL applied once, as the app role, in its own transaction. */
export interface SchemaStep {
  /**
   * The step's name (letters, digits, `.`, `_`, `-`). Steps are applied in byte-wise name order and
   * recorded by name, so names must sort in the order given (e.g. `001-contracts`) and a step must
   * never change or be renamed once applied: add a new step instead.
   */
  readonly name: string;
  /** The SQL text. Give this or `file`. @default none */
  readonly sql?: string;
  /** A `.sql` file read when synthesizing, relative to the working directory. @default none */
  readonly file?: string;
}

/** Settings of a DbBootstrapHook. */
export interface DbBootstrapHookProps {
  /** The server: a `PostgresRelease`'s `connection` (same release) or `externalConnection`, or `PostgresConnection.external`. */
  readonly connection: PostgresConnection;
  /** The database to create, owned by `user` (a literal or a string token). */
  readonly database: string;
  /** The login role to create, or whose password to reset (a literal or a string token); never the admin. */
  readonly user: string;
  /**
   * The app role's password: a secret value (the hook makes a Secret of it) or a key of a Secret
   * created outside the chart.
   * @default a required secret value `<valuesPath>.appPassword`, kept in a Secret the hook makes
   */
  readonly appPassword?: SecretValue | SecretKeyRef;
  /**
   * The Secret key of the admin password.
   * @default the connection's admin Secret
   */
  readonly adminSecret?: SecretKeyRef;
  /**
   * The database the admin connects to.
   * @default 'postgres'
   */
  readonly adminDatabase?: string;
  /**
   * Extensions the admin creates in the database, e.g. `pgcrypto` (for `gen_random_uuid()` before
   * PostgreSQL 13).
   * @default none
   */
  readonly extensions?: readonly string[];
  /**
   * Schema steps, applied in order, each once (recorded in `public.helm_synth_bootstrap_steps`).
   * @default none
   */
  readonly steps?: readonly SchemaStep[];
  /**
   * When the Job runs. A database of the same release exists only once the release's normal
   * resources do, so only post-* events are allowed for it.
   * @default pre-install and pre-upgrade for a database outside the release; post-install and
   * post-upgrade for one installed by the same release
   */
  readonly events?: readonly HookEvent[];
  /**
   * Order among the hooks of an event: lower runs first.
   * @default 0, or just above the hooks of `after`
   */
  readonly weight?: number;
  /**
   * Hooks the Job runs after, at every event it shares with them (`HookJobBaseProps.after`).
   * @default none
   */
  readonly after?: readonly IConstruct[];
  /**
   * Image with `psql` 15 or newer and a POSIX shell.
   * @default 'docker.io/library/postgres:17-alpine'
   */
  readonly image?: string;
  /**
   * Values path of the Job's settings (image, resources, backoffLimit, activeDeadlineSeconds,
   * ttlSecondsAfterFinished, wait, podSecurityContext, securityContext, and by default appPassword).
   * @default 'dbBootstrap'
   */
  readonly valuesPath?: string;
  /** CPU and memory of the Job. @default requests cpu 50m and memory 64Mi, limit memory 256Mi */
  readonly resources?: HookResources;
  /** Retries before the Job fails. @default 1 */
  readonly backoffLimit?: number;
  /** Seconds the Job may run. @default 300 */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds after it finishes before Kubernetes deletes the Job: a Job that succeeded is deleted by
   * its hook-succeeded policy at once, so this is how long a failed one stays for inspection.
   * @default 3600
   */
  readonly ttlSecondsAfterFinished?: number;
  /** Connection attempts while the server is not up yet. @default 60 */
  readonly waitAttempts?: number;
  /** Seconds between connection attempts. @default 2 */
  readonly waitIntervalSeconds?: number;
  /**
   * The user and group the Job runs as: the image's `postgres` user.
   * @default 70 (the alpine images; the Debian ones use 999)
   */
  readonly runAsUser?: number;
  /**
   * Default of the value `<valuesPath>.adopt`: take over a role or database that exists without
   * any release's owner marker (made outside helm-synth, e.g. by a hand-written hook before
   * helm-synth), marking it as this release's and resetting the role's password. A role or database
   * marked by another release is never taken.
   * @default false: the Job fails, naming the role or database, before changing anything
   */
  readonly adoptUnowned?: boolean;
}

const DEFAULT_IMAGE = 'docker.io/library/postgres:17-alpine';
const ALPINE_POSTGRES_USER = 70;
const FAILED_JOB_TTL_SECONDS = 3600;
const STEPS_DIR = '/bootstrap/steps';
const APP_PASSWORD_KEY = 'password';
const BOOTSTRAP_EVENTS = [
  HookEvent.PRE_INSTALL,
  HookEvent.POST_INSTALL,
  HookEvent.PRE_UPGRADE,
  HookEvent.POST_UPGRADE,
  HookEvent.PRE_ROLLBACK,
  HookEvent.POST_ROLLBACK,
];
const PRE_EVENTS = [HookEvent.PRE_INSTALL, HookEvent.PRE_UPGRADE, HookEvent.PRE_ROLLBACK];
const STEP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const EXTENSION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/;
const CONFIG_MAP_LIMIT = 1024 * 1024;
const DB_BOOTSTRAP_HOOK = Symbol.for('helm-synth.DbBootstrapHook');

/**
 * A Helm hook Job that makes sure a database, its owner role (password from a Secret) and its
 * grants exist, creates extensions, then applies schema steps once each, by running
 * `bootstrapScript()` with `psql`: idempotent, serialized, injection-safe, no secret in its
 * command line or output.
 *
 * Its events follow where the database is: before install and upgrade when it lives outside the
 * release, after them when the release installs it. The steps ConfigMap is a hook the Job owns;
 * a Secret it makes for the app password is a hook it depends on before install and upgrade, and a
 * normal resource (which exists before post-* hooks) otherwise, so the app's pods can read it.
 */
export class DbBootstrapHook extends Construct {
  /** Whether `x` is a DbBootstrapHook, of this copy of helm-synth or another. */
  public static isDbBootstrapHook(x: unknown): x is DbBootstrapHook {
    return x !== null && typeof x === 'object' && DB_BOOTSTRAP_HOOK in x;
  }

  /** Values path of the Job's settings. */
  public readonly valuesPath: string;
  /** The hook Job. */
  public readonly hookJob: HookJob;
  /** Where the database is, seen from this chart. */
  public readonly placement: DatabasePlacement;
  /** The events the Job runs at. */
  public readonly events: readonly HookEvent[];
  /** The ConfigMap of schema steps, mounted at `STEPS_DIR`, when there are steps. */
  public readonly stepsConfigMap?: kplus.ConfigMap;
  /** The Secret holding the app password, when the hook makes it. */
  public readonly appPasswordSecret?: kplus.Secret;
  /** The Secret key of the app password, for the app's own pods. */
  public readonly appPasswordRef: SecretKeyRef;
  private readonly appPasswordSource: kplus.ISecret;

  constructor(scope: Construct, id: string, props: DbBootstrapHookProps) {
    super(scope, id);
    const where = this.node.path;
    if (!props || typeof props !== 'object')
      throw new HelmSynthError(where, 'DbBootstrapHook needs props with connection, database and user');
    if (!PostgresConnection.isPostgresConnection(props.connection)) {
      throw new HelmSynthError(
        where,
        `connection ${describeValue(props.connection)} must be a PostgresConnection (a PostgresRelease's connection or PostgresConnection.external)`,
      );
    }
    const chart = HelmChart.of(this);
    const connection = props.connection;
    this.placement = connection.placementFor(this);
    this.events = checkEvents(props.events, this.placement, where);
    const database = checkIdentifier(props.database, 'database', where);
    const user = checkIdentifier(props.user, 'user', where);
    if (!hasToken(user) && !hasToken(connection.adminUser) && user === connection.adminUser) {
      throw new HelmSynthError(where, `user ${describeValue(user)} is the admin role of the connection; the app needs a role of its own`);
    }
    const adminSecret =
      props.adminSecret === undefined ? connection.adminSecret : checkSecretKeyRef(props.adminSecret, 'adminSecret', where);
    const adminDatabase = checkIdentifier(props.adminDatabase ?? 'postgres', 'adminDatabase', where);
    const extensions = checkExtensions(props.extensions, where);
    const steps = checkSteps(props.steps, where);
    const valuesPath = checkText(props.valuesPath ?? 'dbBootstrap', 'valuesPath', where);
    if (chart.node.findAll().some((c) => c !== this && DbBootstrapHook.isDbBootstrapHook(c) && c.valuesPath === valuesPath)) {
      throw new HelmSynthError(
        where,
        `another DbBootstrapHook of chart ${chart.chartName} already uses valuesPath ${describeValue(valuesPath)}; give each its own`,
      );
    }
    this.valuesPath = valuesPath;
    Object.defineProperty(this, DB_BOOTSTRAP_HOOK, { value: true });
    if (props.adoptUnowned !== undefined && typeof props.adoptUnowned !== 'boolean') {
      throw new HelmSynthError(where, `adoptUnowned ${describeValue(props.adoptUnowned)} must be a boolean`);
    }
    const runAsUser = checkInteger(props.runAsUser ?? ALPINE_POSTGRES_USER, 'runAsUser', where, 1);
    const values = chart.values;
    const sameRelease = this.placement === DatabasePlacement.SAME_RELEASE;

    let passwordValue: SecretValue | undefined;
    if (props.appPassword === undefined || isSecretValue(props.appPassword)) {
      passwordValue =
        props.appPassword ??
        values.secret(`${valuesPath}.appPassword`, {
          description:
            'Password of the database role the bootstrap Job creates (kept in the Secret it makes; the app reads it from there).',
          required: true,
        });
      this.appPasswordSecret = new kplus.Secret(this, 'AppPassword', { stringData: { [APP_PASSWORD_KEY]: passwordValue.asString() } });
      this.appPasswordRef = { name: chart.resourceName(this.appPasswordSecret), key: APP_PASSWORD_KEY };
      this.appPasswordSource = this.appPasswordSecret;
    } else {
      this.appPasswordRef = checkSecretKeyRef(props.appPassword, 'appPassword', where);
      this.appPasswordSource = kplus.Secret.fromSecretName(this, 'AppPasswordRef', this.appPasswordRef.name);
    }

    const waitAttempts = checkInteger(props.waitAttempts ?? 60, 'waitAttempts', where, 1);
    const waitInterval = checkInteger(props.waitIntervalSeconds ?? 2, 'waitIntervalSeconds', where, 0);
    if (steps.length)
      this.stepsConfigMap = new kplus.ConfigMap(this, 'Steps', { data: Object.fromEntries(steps.map((s) => [`${s.name}.sql`, s.sql])) });

    this.hookJob = new HookJob(this, 'Default', {
      events: this.events,
      weight: props.weight,
      after: props.after,
      image: props.image ?? DEFAULT_IMAGE,
      command: ['/bin/sh', '-c', bootstrapScript()],
      env: {
        [BootstrapEnv.host]: connection.host,
        [BootstrapEnv.port]: connection.portText,
        [BootstrapEnv.adminUser]: connection.adminUser,
        [BootstrapEnv.adminPassword]: secretKeyEnv(this, 'AdminSecretRef', adminSecret),
        [BootstrapEnv.adminDatabase]: adminDatabase,
        [BootstrapEnv.appDatabase]: database,
        [BootstrapEnv.appUser]: user,
        [BootstrapEnv.appPassword]: kplus.EnvValue.fromSecretValue({ secret: this.appPasswordSource, key: this.appPasswordRef.key }),
        [BootstrapEnv.releaseName]: Release.name,
        [BootstrapEnv.releaseNamespace]: Release.namespace,
        ...(extensions.length && { [BootstrapEnv.appExtensions]: extensions.join(' ') }),
        ...(steps.length && { [BootstrapEnv.stepsDir]: STEPS_DIR }),
      },
      resources: props.resources,
      backoffLimit: props.backoffLimit,
      activeDeadlineSeconds: props.activeDeadlineSeconds,
      ttlSecondsAfterFinished: props.ttlSecondsAfterFinished ?? FAILED_JOB_TTL_SECONDS,
      securityContext: { user: runAsUser, group: runAsUser },
      podSecurityContext: { user: runAsUser, group: runAsUser, fsGroup: runAsUser },
      valuesPath,
    });
    values.describe(valuesPath, `The ${this.events.join(', ')} hook Job that bootstraps the database.`);
    values.describe(`${valuesPath}.wait`, 'How long the Job waits for the server to accept connections.');
    const env = this.hookJob.container.env;
    env.addVariable(
      BootstrapEnv.waitAttempts,
      kplus.EnvValue.fromValue(
        values
          .integer(`${valuesPath}.wait.attempts`, {
            default: waitAttempts,
            minimum: 1,
            description: 'Connection attempts before the Job gives up.',
          })
          .asString(),
      ),
    );
    env.addVariable(
      BootstrapEnv.waitIntervalSeconds,
      kplus.EnvValue.fromValue(
        values
          .integer(`${valuesPath}.wait.intervalSeconds`, {
            default: waitInterval,
            minimum: 0,
            description: 'Seconds between connection attempts.',
          })
          .asString(),
      ),
    );
    env.addVariable(
      BootstrapEnv.adoptUnowned,
      kplus.EnvValue.fromValue(
        values
          .boolean(`${valuesPath}.adopt`, {
            default: props.adoptUnowned ?? false,
            description:
              "Take over the role and database when they exist without any release's owner marker (made outside helm-synth); never one marked by another release.",
          })
          .asString(),
      ),
    );
    const podSecurity = values.object(`${valuesPath}.podSecurityContext`, {
      default: { runAsNonRoot: true, runAsUser, runAsGroup: runAsUser, fsGroup: runAsUser, seccompProfile: { type: 'RuntimeDefault' } },
      description: "Pod security context of the Job (the image's postgres user).",
    });
    const containerSecurity = values.object(`${valuesPath}.securityContext`, {
      default: {
        runAsNonRoot: true,
        runAsUser,
        runAsGroup: runAsUser,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      },
      description: 'Container security context of the Job (a read-only root filesystem: /tmp is an emptyDir).',
    });
    Template.of(this.hookJob.job)
      .set('spec.template.spec.securityContext', podSecurity.asObject())
      .set('spec.template.spec.containers[0].securityContext', containerSecurity.asObject());

    if (this.stepsConfigMap) {
      this.hookJob.container.mount(STEPS_DIR, kplus.Volume.fromConfigMap(this, 'StepsVolume', this.stepsConfigMap, { name: 'steps' }), {
        readOnly: true,
      });
      this.hookJob.hook.owns(this.stepsConfigMap);
    }
    if (this.appPasswordSecret && !sameRelease) this.hookJob.addDependency(this.appPasswordSecret);
    if (sameRelease && connection.condition && connection.externalValuesPath === undefined) {
      for (const part of [this.hookJob, this.stepsConfigMap]) if (part) Template.of(part).enableWhen(connection.condition);
    }
    chart.addReadmeSection(
      dbBootstrapReadme({
        id: this.node.id,
        events: this.events,
        sameRelease,
        connection,
        valuesPath,
        extensions,
        steps: steps.map((s) => s.name),
        passwordPath: passwordValue?.path,
      }),
    );
  }

  /** An env value reading the app password (`secretKeyRef`), for the app's own containers. */
  public appPasswordEnv(): kplus.EnvValue {
    return kplus.EnvValue.fromSecretValue({ secret: this.appPasswordSource, key: this.appPasswordRef.key });
  }
}

function checkEvents(events: readonly HookEvent[] | undefined, placement: DatabasePlacement, where: string): readonly HookEvent[] {
  const sameRelease = placement === DatabasePlacement.SAME_RELEASE;
  if (events === undefined)
    return sameRelease ? [HookEvent.POST_INSTALL, HookEvent.POST_UPGRADE] : [HookEvent.PRE_INSTALL, HookEvent.PRE_UPGRADE];
  if (!Array.isArray(events) || events.length === 0)
    throw new HelmSynthError(where, `events ${describeValue(events)} must be a non-empty list`);
  for (const event of events) {
    if (!BOOTSTRAP_EVENTS.includes(event)) {
      throw new HelmSynthError(
        where,
        `event ${describeValue(event)} cannot run a database bootstrap; use install, upgrade or rollback events (${BOOTSTRAP_EVENTS.join(', ')})`,
      );
    }
    if (sameRelease && PRE_EVENTS.includes(event)) {
      throw new HelmSynthError(
        where,
        `event ${event} runs before the release's own resources exist, and the database is installed by this same release: the Job could never reach it; use post-install and post-upgrade`,
      );
    }
  }
  return [...events];
}

function checkIdentifier(value: unknown, field: string, where: string): string {
  if (typeof value !== 'string' || value === '' || (!hasToken(value) && !isPostgresName(value))) {
    throw new HelmSynthError(
      where,
      `${field} ${describeValue(value)} must be a PostgreSQL name of 1 to 63 bytes (PostgreSQL would silently cut a longer one), or a string token`,
    );
  }
  return value;
}

function checkExtensions(extensions: unknown, where: string): string[] {
  if (extensions === undefined) return [];
  if (!Array.isArray(extensions))
    throw new HelmSynthError(where, `extensions ${describeValue(extensions)} must be a list of extension names`);
  for (const extension of extensions) {
    if (typeof extension !== 'string' || !EXTENSION_NAME.test(extension)) {
      throw new HelmSynthError(where, `extension ${describeValue(extension)} must be an extension name such as pgcrypto or uuid-ossp`);
    }
  }
  if (new Set(extensions).size !== extensions.length)
    throw new HelmSynthError(where, `extensions ${describeValue(extensions)} name one twice`);
  return [...extensions];
}

function checkSteps(steps: unknown, where: string): Array<{ name: string; sql: string }> {
  if (steps === undefined) return [];
  if (!Array.isArray(steps))
    throw new HelmSynthError(where, `steps ${describeValue(steps)} must be a list of { name, sql } or { name, file }`);
  const checked = steps.map((step: SchemaStep, i) => {
    if (!step || typeof step !== 'object' || typeof step.name !== 'string' || !STEP_NAME.test(step.name)) {
      throw new HelmSynthError(
        where,
        `steps[${i}].name ${describeValue(step?.name)} must be letters, digits, '.', '_' and '-', at most 100 characters`,
      );
    }
    if ((step.sql === undefined) === (step.file === undefined))
      throw new HelmSynthError(where, `step ${step.name}: give either sql or file`);
    let sql = step.sql;
    if (step.file !== undefined) {
      try {
        sql = readFileSync(resolve(checkText(step.file, `step ${step.name} file`, where)), 'utf8');
      } catch (error) {
        if (HelmSynthError.isHelmSynthError(error)) throw error;
        throw new HelmSynthError(where, `step ${step.name}: cannot read ${describeValue(step.file)}: ${(error as Error).message}`);
      }
    }
    if (typeof sql !== 'string' || sql.trim() === '' || hasToken(sql)) {
      throw new HelmSynthError(
        where,
        `step ${step.name}: the SQL must be literal, non-empty text (it is applied once and recorded by its checksum, so it cannot depend on values)`,
      );
    }
    return { name: step.name, sql };
  });
  checked.forEach((step, i) => {
    if (i > 0 && Buffer.compare(Buffer.from(checked[i - 1].name), Buffer.from(step.name)) >= 0) {
      throw new HelmSynthError(
        where,
        `step ${describeValue(step.name)} comes after ${describeValue(checked[i - 1].name)} but does not sort after it: steps run in byte-wise name order, so name them to sort in the order given (e.g. 001-${checked[i - 1].name}, 002-${step.name})`,
      );
    }
  });
  const size = checked.reduce((total, step) => total + Buffer.byteLength(step.sql) + step.name.length + 4, 0);
  if (size > CONFIG_MAP_LIMIT) throw new HelmSynthError(where, `the steps hold ${size} bytes; a ConfigMap holds at most 1 MiB`);
  return checked;
}

function isSecretValue(x: unknown): x is SecretValue {
  return Value.isValue(x) && x.type === ValueType.SECRET;
}
