import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Condition, HelmChart, HookEvent } from '../../src';
import { DbBootstrapHook, DbBootstrapHookProps, PostgresConnection, PostgresRelease } from '../../src/postgres';
import { Testing } from '../../src/testing';
import { expectHelmSynthError as expectError } from '../support/errors';
import { templateWithHelpersInline } from '../support/named-helpers';

const external = PostgresConnection.external({
  host: 'postgresql.decapod-db.svc.cluster.local',
  adminSecret: { name: 'postgresql', key: 'postgresql-password' },
});
const chart = (id = 'app') => new HelmChart(Testing.app(), id, { version: '1.0.0' });
const hook = (c: HelmChart, props: Partial<DbBootstrapHookProps> = {}, id = 'Bootstrap') =>
  new DbBootstrapHook(c, id, { connection: external, database: 'app', user: 'app_owner', ...props });

/** The hook annotations of each template, by file: events and weight, or "normal". */
function hookAnnotations(c: HelmChart): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [file, text] of Testing.synth(c).files) {
    if (!file.startsWith('templates/') || !file.endsWith('.yaml')) continue;
    const events = /helm\.sh\/hook: (.*)/.exec(text)?.[1];
    const weight = /helm\.sh\/hook-weight: "(.*)"/.exec(text)?.[1];
    const policies = /helm\.sh\/hook-delete-policy: (.*)/.exec(text)?.[1];
    result[file] = events ? `${events} weight ${weight} ${policies}` : 'normal';
  }
  return result;
}

describe('DbBootstrapHook events', () => {
  test('a database outside the release: pre-install,pre-upgrade; its Secret and ConfigMap run just before', () => {
    const c = chart();
    const h = hook(c, { steps: [{ name: '001-t', sql: 'CREATE TABLE t (id int);' }] });
    expect(h.events).toEqual([HookEvent.PRE_INSTALL, HookEvent.PRE_UPGRADE]);
    expect(hookAnnotations(c)).toEqual({
      'templates/bootstrap-app-password-secret.yaml': 'pre-install,pre-upgrade weight -1 before-hook-creation',
      'templates/bootstrap-steps-config-map.yaml': 'pre-install,pre-upgrade weight -1 before-hook-creation,hook-succeeded',
      'templates/bootstrap-job.yaml': 'pre-install,pre-upgrade weight 0 before-hook-creation,hook-succeeded',
    });
  });

  test('a database of the same release: post-install,post-upgrade, the app Secret a normal resource; the Job stays when it is switched off (it then runs against externalDatabase.*)', () => {
    const c = chart();
    const database = new PostgresRelease(c, 'Database', { chartVersion: '17.1.0' });
    const h = hook(c, { connection: database.connection, steps: [{ name: '001-t', sql: 'CREATE TABLE t (id int);' }], weight: 5 });
    expect(h.events).toEqual([HookEvent.POST_INSTALL, HookEvent.POST_UPGRADE]);
    expect(hookAnnotations(c)).toEqual({
      'templates/bootstrap-app-password-secret.yaml': 'normal',
      'templates/bootstrap-steps-config-map.yaml': 'post-install,post-upgrade weight 4 before-hook-creation,hook-succeeded',
      'templates/bootstrap-job.yaml': 'post-install,post-upgrade weight 5 before-hook-creation,hook-succeeded',
    });
    const files = Testing.synth(c).files;
    for (const file of ['bootstrap-job', 'bootstrap-steps-config-map', 'bootstrap-app-password-secret'])
      expect(files.get(`templates/${file}.yaml`)).not.toContain('{{- if');
    expect(templateWithHelpersInline(files, 'templates/bootstrap-job.yaml')).toContain('(ternary');
    expect(files.get('README.md')).toContain(
      '**Without the bundled database** (`postgresql.enabled=false`) the Job runs at the same events against the server in `externalDatabase.*`.',
    );
  });

  test('a release-scoped connection with a condition and no external server: the Job and its steps are gated by the condition', () => {
    const c = chart();
    const enabled = c.values.boolean('db.enabled', { default: true, description: 'Install the database.' });
    const connection = PostgresConnection.releaseScoped({
      chart: c,
      hostExpression: '"db"',
      portExpression: '5432',
      adminUser: 'postgres',
      adminSecretExpressions: { name: '"db"', key: '"password"' },
      condition: Condition.from(enabled),
      description: 'the database',
    });
    hook(c, { connection, steps: [{ name: '001-t', sql: 'CREATE TABLE t (id int);' }] });
    const files = Testing.synth(c).files;
    expect(files.get('templates/bootstrap-job.yaml')).toMatch(/^\{\{- if \.Values\.db\.enabled \}\}\n/);
    expect(files.get('templates/bootstrap-steps-config-map.yaml')).toMatch(/^\{\{- if \.Values\.db\.enabled \}\}\n/);
    expect(files.get('templates/bootstrap-app-password-secret.yaml')).not.toContain('{{- if');
    expectError(
      () =>
        PostgresConnection.releaseScoped({
          chart: chart('other'),
          hostExpression: '"db"',
          portExpression: '5432',
          adminUser: 'postgres',
          adminSecretExpressions: { name: '"db"', key: '"k"' },
          externalValuesPath: 'external',
          description: 'the database',
        }),
      'other',
      'externalValuesPath "external" needs a condition',
    );
  });

  test('events can be chosen, within what can reach the database', () => {
    expect(hook(chart(), { events: [HookEvent.POST_INSTALL] }).events).toEqual([HookEvent.POST_INSTALL]);
    expectError(() => hook(chart(), { events: [HookEvent.TEST] }), 'app/Bootstrap', 'event "test" cannot run a database bootstrap');
    expectError(() => hook(chart(), { events: [] }), 'app/Bootstrap', 'events [] must be a non-empty list');
    const c = chart();
    const database = new PostgresRelease(c, 'Database', { chartVersion: '10.8.0' });
    expectError(
      () => hook(c, { connection: database.connection, events: [HookEvent.POST_INSTALL, HookEvent.PRE_UPGRADE] }),
      'app/Bootstrap',
      "event pre-upgrade runs before the release's own resources exist, and the database is installed by this same release",
    );
  });

  test('a hook of the chart that installs the database by a fixed name is a same-release hook too', () => {
    const database = PostgresRelease.standaloneChart(
      Testing.app(),
      'db',
      { version: '1.0.0', install: { releaseName: 'db', namespace: 'data' } },
      { chartVersion: '17.1.0' },
    );
    expect(hook(database.chart, { connection: database.externalConnection }).events).toEqual([
      HookEvent.POST_INSTALL,
      HookEvent.POST_UPGRADE,
    ]);
  });

  test('a release-scoped connection cannot be used from another chart', () => {
    const database = new PostgresRelease(chart('db'), 'Database', { chartVersion: '17.1.0' });
    expectError(
      () => hook(chart(), { connection: database.connection }),
      'app/Bootstrap',
      'is computed from the values of chart db and only works in its templates',
    );
  });
});

describe('DbBootstrapHook wiring', () => {
  test('env: connection fields, names, and passwords only through secretKeyRef', () => {
    const c = chart();
    const h = hook(c, {
      extensions: ['pgcrypto', 'uuid-ossp'],
      steps: [{ name: '001-t', sql: 'CREATE TABLE t (id int);' }],
      adminDatabase: 'template1',
    });
    const job = Testing.synth(c).files.get('templates/bootstrap-job.yaml')!;
    const env = job.slice(job.indexOf('          env:'), job.indexOf('          image:'));
    expect(env).toBe(`          env:
            - name: PGHOST
              value: postgresql.decapod-db.svc.cluster.local
            - name: PGPORT
              value: "5432"
            - name: PGUSER
              value: postgres
            - name: PGPASSWORD
              valueFrom:
                secretKeyRef:
                  key: postgresql-password
                  name: postgresql
            - name: ADMIN_DATABASE
              value: template1
            - name: APP_DATABASE
              value: app
            - name: APP_USER
              value: app_owner
            - name: APP_PASSWORD
              valueFrom:
                secretKeyRef:
                  key: password
                  name: {{ include "app.resourceName" (list . "bootstrap-app-password") | quote }}
            - name: RELEASE_NAME
              value: {{ .Release.Name | quote }}
            - name: RELEASE_NAMESPACE
              value: {{ .Release.Namespace | quote }}
            - name: APP_EXTENSIONS
              value: pgcrypto uuid-ossp
            - name: STEPS_DIR
              value: /bootstrap/steps
            - name: WAIT_ATTEMPTS
              value: {{ .Values.dbBootstrap.wait.attempts | int64 | toString | quote }}
            - name: WAIT_INTERVAL_SECONDS
              value: {{ .Values.dbBootstrap.wait.intervalSeconds | int64 | toString | quote }}
            - name: ADOPT_UNOWNED
              value: {{ .Values.dbBootstrap.adopt | toJson | quote }}
`);
    expect(job).toContain('- /bin/sh\n            - -c\n');
    expect(h.appPasswordRef.key).toBe('password');
    expect(templateWithHelpersInline(Testing.synth(c).files, 'templates/bootstrap-app-password-secret.yaml')).toContain(
      'password: {{ required "value dbBootstrap.appPassword is required',
    );
  });

  test('values: image, Job limits, wait and security contexts for the alpine postgres user; no password default', () => {
    const c = chart();
    hook(c);
    const values = parse(Testing.synth(c).files.get('values.yaml')!).dbBootstrap;
    expect(values).toEqual({
      image: 'docker.io/library/postgres:17-alpine',
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
      backoffLimit: 1,
      activeDeadlineSeconds: 300,
      ttlSecondsAfterFinished: 3600,
      wait: { attempts: 60, intervalSeconds: 2 },
      adopt: false,
      podSecurityContext: { runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, fsGroup: 70, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 70,
        runAsGroup: 70,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      },
    });
    const job = Testing.synth(c).files.get('templates/bootstrap-job.yaml')!;
    expect(job).toContain('{{- with .Values.dbBootstrap.securityContext }}');
    expect(job).toContain('{{- with .Values.dbBootstrap.podSecurityContext }}');
    expect(job).toContain('- mountPath: /tmp\n              name: tmp');
  });

  test('an existing app password Secret: no Secret is made, env and appPasswordEnv read it', () => {
    const c = chart();
    const h = hook(c, { appPassword: { name: 'app-db', key: 'pw' }, ttlSecondsAfterFinished: 600, image: 'postgres:16' });
    expect(h.appPasswordSecret).toBeUndefined();
    const files = Testing.synth(c).files;
    expect([...files.keys()].filter((f) => f.endsWith('secret.yaml'))).toEqual([]);
    expect(files.get('templates/bootstrap-job.yaml')).toContain('secretKeyRef:\n                  key: pw\n                  name: app-db');
    expect(h.appPasswordEnv().valueFrom).toBeDefined();
    expect(parse(files.get('values.yaml')!).dbBootstrap).toMatchObject({ image: 'postgres:16', ttlSecondsAfterFinished: 600 });
  });

  test('a secret value of the chart can hold the app password', () => {
    const c = chart();
    const password = c.values.secret('database.password', { description: 'Password.', required: true });
    hook(c, { appPassword: password });
    expect(Testing.synth(c).files.get('templates/bootstrap-app-password-secret.yaml')).toContain('.Values.database.password');
    expect(c.values.tryGet('dbBootstrap.appPassword')).toBeUndefined();
  });

  test('steps from strings and files, in a ConfigMap named by step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'helm-synth-steps-'));
    try {
      writeFileSync(join(dir, 'seed.sql'), 'INSERT INTO t VALUES (1); -- {{ not a template }}\n');
      const c = chart();
      hook(c, {
        steps: [
          { name: '001-table', sql: 'CREATE TABLE t (id int);\n' },
          { name: '002-seed', file: join(dir, 'seed.sql') },
        ],
      });
      const configMap = Testing.synth(c).files.get('templates/bootstrap-steps-config-map.yaml')!;
      expect(configMap).toContain('  001-table.sql: |\n    CREATE TABLE t (id int);\n');
      expect(configMap).toContain('  002-seed.sql: |\n    INSERT INTO t VALUES (1); -- {{ "{{" }} not a template }}\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [
      {
        steps: [
          { name: '002-b', sql: 'x' },
          { name: '001-a', sql: 'y' },
        ],
      },
      'step "001-a" comes after "002-b" but does not sort after it',
    ],
    [
      {
        steps: [
          { name: 'a', sql: 'x' },
          { name: 'a', sql: 'y' },
        ],
      },
      'step "a" comes after "a"',
    ],
    [{ steps: [{ name: 'bad name', sql: 'x' }] }, 'steps[0].name "bad name" must be letters, digits'],
    [{ steps: [{ name: 'a', sql: 'x', file: 'y.sql' }] }, 'step a: give either sql or file'],
    [{ steps: [{ name: 'a', sql: '  ' }] }, 'step a: the SQL must be literal, non-empty text'],
    [{ steps: [{ name: 'a', file: '/no/such/file.sql' }] }, 'step a: cannot read "/no/such/file.sql"'],
    [{ extensions: ['pg crypto'] }, 'extension "pg crypto" must be an extension name'],
    [{ extensions: ['pgcrypto', 'pgcrypto'] }, 'name one twice'],
    [{ user: 'postgres' }, 'user "postgres" is the admin role of the connection'],
    [{ database: 'd'.repeat(64) }, 'must be a PostgreSQL name of 1 to 63 bytes'],
    [{ user: '' }, 'user "" must be a PostgreSQL name'],
    [{ appPassword: { name: 'Bad Name', key: 'k' } }, 'appPassword.name "Bad Name" is not a Secret name'],
    [{ connection: { host: 'x' } as never }, 'must be a PostgresConnection'],
    [{ runAsUser: 0 }, 'runAsUser 0 must be an integer from 1'],
    [{ adoptUnowned: 'yes' as never }, 'adoptUnowned "yes" must be a boolean'],
  ])('bad props %j', (props, message) => {
    expectError(() => hook(chart(), props as Partial<DbBootstrapHookProps>), 'app/Bootstrap', message);
  });

  test('two hooks in one chart need their own values', () => {
    const c = chart();
    hook(c);
    expectError(() => hook(c, {}, 'Second'), 'app/Second', 'already uses valuesPath "dbBootstrap"');
    expect(hook(c, { valuesPath: 'reportingBootstrap', database: 'reports', user: 'reporter' }, 'Third').events).toHaveLength(2);
  });

  test('a token in the SQL is refused: steps are recorded by checksum', () => {
    const c = chart();
    const name = c.values.string('tableName', { default: 't', description: 'x' }).asString();
    expectError(() => hook(c, { steps: [{ name: 'a', sql: `CREATE TABLE ${name} ()` }] }), 'app/Bootstrap', 'the SQL must be literal');
  });

  test('the README says when it runs, what it makes, and where the app password goes', () => {
    const c = chart();
    hook(c, { extensions: ['pgcrypto'], steps: [{ name: '001-t', sql: 'CREATE TABLE t ();' }] });
    const readme = Testing.synth(c).files.get('README.md')!;
    expect(readme).toContain('A hook Job runs at pre-install, pre-upgrade against PostgreSQL at postgresql.decapod-db.svc.cluster.local.');
    expect(readme).toContain('creates the extensions `pgcrypto`, then applies the schema steps `001-t` once each');
    expect(readme).toContain('`dbBootstrap.appPassword`');
    expect(readme).toContain('`helm uninstall` leaves it');
    expect(readme).toContain('their comment is `helm-synth release <namespace>/<release>`');
    expect(readme).toContain('unless `dbBootstrap.adopt=true` is given for one upgrade');
  });

  test('adoptUnowned is the default of <valuesPath>.adopt, which reaches the Job as ADOPT_UNOWNED', () => {
    const c = chart();
    hook(c, { adoptUnowned: true, valuesPath: 'migration' });
    expect(parse(Testing.synth(c).files.get('values.yaml')!).migration.adopt).toBe(true);
    expect(Testing.synth(c).files.get('templates/bootstrap-job.yaml')).toContain(
      '- name: ADOPT_UNOWNED\n              value: {{ .Values.migration.adopt | toJson | quote }}',
    );
  });
});
