import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HelmChart, HelmSynthError, Template } from '../src';
import { DbBootstrapHook, PostgresConnection, PostgresRelease, PostgresReleaseProps } from '../src/postgres';
import { TKS_CONTRACT_SCHEMA } from './tks-contract-schema';

/** Where tks-contract's database is. Give exactly one. */
export interface TksContractChartProps {
  /**
   * A server outside the release (the seed's `decapod-db`): the bootstrap Job runs before install
   * and upgrade, and the connection's fields become `database.*` values.
   * @default none
   */
  readonly externalDatabase?: PostgresConnection;
  /**
   * Install bitnami/postgresql with the release (dependency `postgresql`): the bootstrap Job runs
   * after install and upgrade, once the database exists. With `postgresql.enabled=false` at install
   * time the Job and the server use the server in `database.external.*` instead.
   * @default none
   */
  readonly bundledDatabase?: PostgresReleaseProps;
}

const SERVER_PORT = 9110;
/** The seed's database was made by a hand-written hook, so its role and database carry no owner marker. */
const SEED_MIGRATION_README = [
  "## Moving from the seed's hook",
  '',
  "The seed's hand-written hook made database `tks` and role `tksuser` without helm-synth's owner marker, so the bootstrap Job refuses them",
  '(see Database bootstrap). On the first install against that server, adopt them once; later upgrades need nothing:',
  '',
  '```sh',
  'helm upgrade --install tks ./tks-contract --namespace tks -f my-values.yaml --set dbBootstrap.adopt=true',
  '```',
].join('\n');
const SERVER_USER = 65534;
const POSTGRES_NAME = '^.{1,63}$';

/**
 * tks-contract, the TKS contract service: its gRPC server Deployment on port 9110 reading the
 * database settings from env (the password through secretKeyRef), a Service, and the hook Job that
 * creates database `tks`, role `tksuser` and the contract tables.
 */
export class TksContractChart extends HelmChart {
  /** The database bootstrap hook. */
  public readonly bootstrap: DbBootstrapHook;
  /** The server. */
  public readonly server: kplus.Deployment;
  /** The server's Service. */
  public readonly service: kplus.Service;
  /** The bundled database, when there is one. */
  public readonly database?: PostgresRelease;

  constructor(scope: Construct, id: string, props: TksContractChartProps) {
    super(scope, id, {
      version: '0.1.0',
      appVersion: '1.0.0',
      description: props?.bundledDatabase
        ? 'The TKS contract service with its own PostgreSQL (bitnami/postgresql), bootstrapped after install.'
        : 'The TKS contract service; its database, role and tables are bootstrapped before install.',
      keywords: ['tks', 'contract', 'postgresql'],
      home: 'https://github.com/openinfradev/tks-contract',
      maintainers: [{ name: 'Platform team', email: 'platform@example.com' }],
    });
    if (!props || (props.externalDatabase === undefined) === (props.bundledDatabase === undefined)) {
      throw new HelmSynthError(this.node.path, 'give exactly one of externalDatabase and bundledDatabase');
    }
    const v = this.values;
    v.describe('image', 'Container image of the contract server.');
    const repository = v.string('image.repository', { default: 'ghcr.io/openinfradev/tks-contract', description: 'Image repository.' });
    const tag = v.string('image.tag', { default: 'v1.0.0', description: 'Image tag.', pattern: '^[\\w][\\w.-]{0,127}$' });
    const pullPolicy = v.enum('image.pullPolicy', {
      values: ['Always', 'IfNotPresent', 'Never'],
      default: 'IfNotPresent',
      description: 'When the kubelet pulls the image.',
    });
    const replicas = v.integer('replicaCount', { default: 1, minimum: 0, description: 'Number of server pods.' });
    const resources = v.object('resources', {
      default: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      description: 'Container resource requests and limits of the server.',
    });
    const servicePort = v.integer('service.port', {
      default: SERVER_PORT,
      minimum: 1,
      maximum: 65535,
      description: 'Port of the gRPC Service.',
    });

    if (props.bundledDatabase) {
      this.database = new PostgresRelease(this, 'Postgresql', { externalValuesPath: 'database.external', ...props.bundledDatabase });
      v.describe(
        'database',
        'The contract database, on the bundled PostgreSQL (or on the server in database.external when postgresql.enabled is false).',
      );
    }
    const connection = this.database ? this.database.connection : props.externalDatabase!.withValues(this, 'database');
    if (props.externalDatabase) {
      this.addReadmeSection(adminSecretReadme(props.externalDatabase));
      this.addReadmeSection(SEED_MIGRATION_README);
    }
    const databaseName = v.string('database.name', {
      default: 'tks',
      description: 'Database the server uses; the bootstrap Job creates it.',
      pattern: POSTGRES_NAME,
    });
    const databaseUser = v.string('database.user', {
      default: 'tksuser',
      description: 'Role the server logs in as; the bootstrap Job creates it and resets its password.',
      pattern: POSTGRES_NAME,
    });
    const password = v.secret('database.password', { description: 'Password of the database role.', required: true });

    this.bootstrap = new DbBootstrapHook(this, 'DbBootstrap', {
      connection,
      database: databaseName.asString(),
      user: databaseUser.asString(),
      appPassword: password,
      extensions: ['pgcrypto'],
      steps: TKS_CONTRACT_SCHEMA,
    });

    this.server = new kplus.Deployment(this, 'Server', {
      replicas: replicas.asNumber(),
      securityContext: { ensureNonRoot: true, user: SERVER_USER, group: SERVER_USER },
      containers: [
        {
          name: 'server',
          image: `${repository}:${tag}`,
          imagePullPolicy: pullPolicy.asString() as kplus.ImagePullPolicy,
          args: [`-port=${SERVER_PORT}`],
          portNumber: SERVER_PORT,
          securityContext: {
            ensureNonRoot: true,
            user: SERVER_USER,
            group: SERVER_USER,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
          },
          envVariables: {
            DB_HOST: kplus.EnvValue.fromValue(connection.host),
            DB_PORT: kplus.EnvValue.fromValue(connection.portText),
            DB_NAME: kplus.EnvValue.fromValue(databaseName.asString()),
            DB_USER: kplus.EnvValue.fromValue(databaseUser.asString()),
            DB_PASSWORD: this.bootstrap.appPasswordEnv(),
          },
        },
      ],
    });
    Template.of(this.server).nameSuffix('').set('spec.template.spec.containers[0].resources', resources.asObject());
    this.service = this.server.exposeViaService({ ports: [{ port: servicePort.asNumber(), targetPort: SERVER_PORT, name: 'grpc' }] });
    Template.of(this.service).nameSuffix('');
  }
}

function adminSecretReadme(database: PostgresConnection): string {
  const { name, key } = database.adminSecret;
  const namespace = database.installedBy?.install?.namespace;
  const lines = [
    '## Admin password',
    '',
    `The bootstrap Job logs in as \`${database.adminUser}\` with the password in Secret \`${name}\`, key \`${key}\` (\`database.adminSecret\`), which must exist in this release's namespace: pods cannot read Secrets of other namespaces.`,
  ];
  if (namespace) {
    lines.push(
      `The database release keeps it in namespace \`${namespace}\`; installed elsewhere, copy it first:`,
      '',
      '```sh',
      `kubectl create secret generic ${name} --namespace my-namespace \\`,
      `  --from-literal=${key}="$(kubectl get secret ${name} --namespace ${namespace} -o jsonpath='{.data.${key.replace(/\./g, '\\.')}}' | base64 -d)"`,
      '```',
    );
  }
  return lines.join('\n');
}
