import { HookEvent } from '../hooks/hook-types';
import { OWNER_MARKER_PREFIX } from './bootstrap-script';
import { PostgresConnection } from './postgres-connection';
import {
  BITNAMI_FULL_INDEX_REPOSITORY,
  BITNAMI_IMAGE_KEYS,
  BITNAMI_LEGACY_NAMESPACE,
  BITNAMI_REPOSITORY,
  BITNAMI_USER,
  BitnamiImage,
  BitnamiImageRole,
  BitnamiLayout,
  InsecureImageCheck,
} from './bitnami-data';
import { BitnamiPostgresqlVersion, bitnamiPasswords, bitnamiPodSecurity } from './bitnami-postgresql';

/*
 * The README sections the Postgres constructs add to the charts they are in. The text is part of
 * every generated README: a change here changes the example charts' snapshots.
 */

/** What the README section of a PostgresRelease says. */
export interface PostgresReleaseReadmeFacts {
  /** The dependency's values key. */
  readonly key: string;
  readonly version: BitnamiPostgresqlVersion;
  /** The app role, if any. */
  readonly user?: string;
  /** The Secret holding the passwords, if created outside the chart. */
  readonly existingSecret?: string;
  readonly images: Readonly<Record<BitnamiImageRole, BitnamiImage>>;
  readonly allowInsecureImages: boolean;
  /** The pinned version's image check, if the version is pinned. */
  readonly insecureImageCheck?: InsecureImageCheck;
  readonly repository: string;
  /** Where other releases reach the database, when the chart fixes its release name and namespace. */
  readonly fixedInstall?: {
    readonly connection: Pick<PostgresConnection, 'host' | 'port' | 'adminUser' | 'adminSecret'>;
    readonly namespace: string;
  };
}

/** The "PostgreSQL (bitnami/postgresql <version>)" section: passwords, images, repository, Pod Security, connection. */
export function postgresReleaseReadme(facts: PostgresReleaseReadmeFacts): string {
  const { layout, version } = facts.version;
  const passwords = bitnamiPasswords(layout, facts.user);
  const existingSecretKey = layout === BitnamiLayout.LEGACY ? 'existingSecret' : 'auth.existingSecret';
  const keys = passwords.map((p) => `\`${p.secretKey}\` (${p.role})`).join(' and ');
  const lines = [
    `## PostgreSQL (bitnami/postgresql ${version})`,
    '',
    `The database is the dependency \`${facts.key}\` (condition \`${facts.key}.enabled\`); its values are under \`${facts.key}:\`.`,
    '',
  ];
  if (facts.existingSecret) {
    lines.push(
      `**Passwords** are read from the Secret \`${facts.existingSecret}\`, created outside the chart in the release's namespace before installing, with the keys ${keys}.`,
    );
  } else {
    lines.push(
      `**Passwords** are never written into values.yaml: give them at install time in a values file kept out of version control, or set \`${facts.key}.${existingSecretKey}\` to a Secret you create with the keys ${keys}.`,
      '',
      '```yaml',
      `${facts.key}:`,
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
  lines.push(
    'Passwords cannot be changed through Helm once the volume exists.',
    '',
    ...imagesReadme(facts),
    '',
    repositoryReadme(facts),
    '',
    podSecurityReadme(facts),
  );
  if (facts.fixedInstall) {
    const { connection: c, namespace } = facts.fixedInstall;
    lines.push(
      '',
      `**Connection.** Installed as above, other releases reach the database at \`${c.host}:${c.port}\` as \`${c.adminUser}\`, with the password in Secret \`${c.adminSecret.name}\`, key \`${c.adminSecret.key}\`, in namespace \`${namespace}\`. Another release name or namespace changes these names.`,
    );
  }
  return lines.join('\n');
}

/** The "Without the bundled PostgreSQL" section: the values of the server used while `<key>.enabled` is false. */
export function externalServerReadme(key: string, path: string): string {
  return [
    `## Without the bundled PostgreSQL`,
    '',
    `\`--set ${key}.enabled=false\` installs no database: the chart's templates then use the server in \`${path}\`, and installing without ` +
      `\`${path}.host\`, \`${path}.adminSecret.name\` or \`${path}.adminSecret.key\` fails naming the missing key. The admin Secret must exist in the release's namespace.`,
    '',
    '```yaml',
    `${key}:`,
    '  enabled: false',
    ...yamlLines(path, [
      'host: postgres.example.com',
      'port: 5432',
      'adminUser: postgres',
      'adminSecret:',
      '  name: postgres-admin',
      '  key: password',
    ]),
    '```',
  ].join('\n');
}

function imagesReadme(facts: PostgresReleaseReadmeFacts): string[] {
  const { version } = facts.version;
  const rows = Object.values(BitnamiImageRole).map((role) => {
    const { registry, repository, tag, digest } = facts.images[role];
    const when = role === BitnamiImageRole.POSTGRESQL ? 'always' : `when \`${facts.key}.${role}.enabled\``;
    return `| \`${facts.key}.${BITNAMI_IMAGE_KEYS[role]}\` | \`${registry}/${repository}:${tag}${digest ? `@${digest}` : ''}\` | ${when} |`;
  });
  const legacy = Object.values(facts.images).every(
    (i) => i.registry === 'docker.io' && i.repository.startsWith(`${BITNAMI_LEGACY_NAMESPACE}/`),
  );
  const intro = legacy
    ? `bitnami removed its versioned images from \`docker.io/bitnami/\` in September 2025 and keeps them under \`docker.io/${BITNAMI_LEGACY_NAMESPACE}/\` ` +
      `(bitnami/charts#35164, bitnami/containers#83267); bitnami/postgresql ${version}'s own defaults no longer pull, so the chart sets:`
    : "The chart runs these images instead of bitnami/postgresql's own:";
  const lines = [`**Images.** ${intro}`, '', '| Values key | Image | Runs |', '|---|---|---|', ...rows, ''];
  const flag = `\`${facts.key}.global.security.allowInsecureImages\``;
  if (facts.allowInsecureImages) {
    lines.push(
      `bitnami/common in bitnami/postgresql ${version} refuses images it was not released with, so ${flag} is \`true\`; the release notes print its security warning.`,
    );
  } else if (facts.insecureImageCheck === InsecureImageCheck.LEGACY_WARNS) {
    lines.push(
      `bitnami/common in bitnami/postgresql ${version} prints a warning about the \`${BITNAMI_LEGACY_NAMESPACE}\` images in the release notes; it is not an error. ` +
        `A mirror (another registry or repository) also needs \`${facts.key}.global.security.allowInsecureImages=true\`, which helm-synth sets when \`images\` names one.`,
    );
  } else {
    lines.push(`A mirror: override these keys (bitnami/postgresql ${version} does not check images).`);
  }
  return lines;
}

function repositoryReadme(facts: PostgresReleaseReadmeFacts): string {
  const source = `Chart.yaml fetches bitnami/postgresql ${facts.version.version} from \`${facts.repository}\``;
  if (facts.repository.startsWith('oci://')) {
    return `**Repository.** ${source}, an OCI registry: \`helm dependency build\` needs no \`helm repo add\` for it (Helm 3.8 or newer).`;
  }
  if (facts.repository.startsWith('file://')) return `**Repository.** ${source}.`;
  const why =
    facts.repository === BITNAMI_FULL_INDEX_REPOSITORY
      ? ` (bitnami's full index: the one at \`${BITNAMI_REPOSITORY}\` lists only versions from 2022 on, bitnami/charts#10833)`
      : '';
  return (
    `**Repository.** ${source}${why}. \`helm dependency build\` takes a URL that was never added only while the chart has no Chart.lock ` +
    '(it then resolves like `helm dependency update` and writes Chart.lock); with a Chart.lock it fails with "no repository definition" ' +
    'unless the URL was added under any name, which is why the install commands above add it first.'
  );
}

function podSecurityReadme(facts: PostgresReleaseReadmeFacts): string {
  const { version, major, layout } = facts.version;
  const keys = Object.keys(bitnamiPodSecurity(layout))
    .map((key) => `\`${facts.key}.${key}\``)
    .join(', ');
  const root =
    `\`${facts.key}.volumePermissions.enabled=true\` adds an init container that runs as root (user 0) to chown the volume: ` +
    'it breaks "restricted" (runAsNonRoot, runAsUser 0, capabilities) on every version, so leave it off where the profile is enforced ' +
    "and let `fsGroup` give the volume to the database's group.";
  if (layout === BitnamiLayout.LEGACY) {
    return [
      `**Pod Security Standards.** The chart sets ${keys} so that the database pod meets the "restricted" profile by default: ` +
        `bitnami/postgresql ${version} passes every field of these maps to the pod (seccompProfile RuntimeDefault for the pod; ` +
        `runAsNonRoot, runAsUser ${BITNAMI_USER}, allowPrivilegeEscalation false and capabilities drop ALL for the database and metrics containers); ` +
        `bitnami's ${major}.x defaults set only the user and fsGroup.`,
      `What cannot be made compliant here: ${root} \`${facts.key}.psp.create=true\` makes a PodSecurityPolicy, which Kubernetes 1.25 removed. ` +
        '`runAsNonRoot` is set per container, not for the pod, so that the init container can still start where the profile is not enforced.',
    ].join('\n');
  }
  return [
    `**Pod Security Standards.** The chart sets ${keys} so that the database pods meet the "restricted" profile (seccompProfile RuntimeDefault, ` +
      `runAsNonRoot, runAsUser ${BITNAMI_USER}, allowPrivilegeEscalation false, capabilities drop ALL), whatever the defaults of bitnami/postgresql ${version} are.`,
    `What cannot be made compliant: ${root}`,
  ].join('\n');
}

/** `lines` nested under a dotted values path, as YAML. */
function yamlLines(path: string, lines: readonly string[]): string[] {
  const keys = path.split('.');
  return [...keys.map((key, i) => `${'  '.repeat(i)}${key}:`), ...lines.map((line) => `${'  '.repeat(keys.length)}${line}`)];
}

/** What the README section of a DbBootstrapHook says. */
export interface DbBootstrapReadmeFacts {
  /** The hook's construct id. */
  readonly id: string;
  readonly events: readonly HookEvent[];
  /** Whether the chart's own release installs the database. */
  readonly sameRelease: boolean;
  readonly connection: PostgresConnection;
  readonly valuesPath: string;
  readonly extensions: readonly string[];
  /** Names of the schema steps. */
  readonly steps: readonly string[];
  /** The values path of the app password, when the hook declares it. */
  readonly passwordPath?: string;
}

/** The "Database bootstrap (<id>)" section: what the Job does, ownership markers, the app password. */
export function dbBootstrapReadme(facts: DbBootstrapReadmeFacts): string {
  const { connection, valuesPath, extensions, steps, passwordPath, sameRelease } = facts;
  const lines = [
    `## Database bootstrap (${facts.id})`,
    '',
    `A hook Job runs at ${facts.events.join(', ')} against ${connection.description}${sameRelease ? ' (installed by this release, so the Job runs after it and waits for it to accept connections)' : ''}.`,
    `It makes sure the database and its owner role exist (the role's password is reset to the one in its Secret on every run)${extensions.length ? `, creates the extensions ${extensions.map((e) => `\`${e}\``).join(', ')}` : ''}${steps.length ? `, then applies the schema steps ${steps.map((s) => `\`${s}\``).join(', ')} once each, as that role` : ''}; a second run changes nothing.`,
    `It reads the admin password and the app password from Secrets only; its settings are under \`${valuesPath}\`.`,
    ...(sameRelease && connection.condition && connection.externalValuesPath !== undefined
      ? [
          '',
          `**Without the bundled database** (\`${connection.condition.description}=false\`) the Job runs at the same events against the server in \`${connection.externalValuesPath}.*\`. ` +
            "Hook events are fixed when the chart is synthesized, so it still runs after install and upgrade, once the release's other resources exist: " +
            "on the first install the app's pods start before their role and database do, and restart until the Job has made them. " +
            'The server needs nothing from the release, so a pre-install Job would have worked too; a chart written for an external server (`PostgresConnection.external`) gets one.',
        ]
      : []),
    '',
    `**Ownership.** The Job marks the role and the database it makes as the release's: their comment is \`${OWNER_MARKER_PREFIX}<namespace>/<release>\`. ` +
      "Before changing anything it checks the markers, so two releases of this chart on one server cannot take over each other's role or reset its password: " +
      'a role or database marked by another release fails the Job with both release names (give each release its own `database`/`user` names). ' +
      `One that exists without a marker (made outside helm-synth, e.g. by an earlier hand-written hook) fails it too, unless \`${valuesPath}.adopt=true\` ` +
      "is given for one upgrade: the Job then marks it as this release's and resets the role's password. A role of another release is never adopted: " +
      'once that release is gone, clear its marker by hand (`COMMENT ON ROLE <user> IS NULL`, `COMMENT ON DATABASE <database> IS NULL`) and adopt. ' +
      'The marker names the release and namespace: installing under another release name or namespace counts as another release.',
  ];
  if (passwordPath) {
    lines.push(
      '',
      `Give the app password at install time (\`${passwordPath}\`, from a values file kept out of version control). It is kept in a Secret the app's pods read too.${sameRelease ? '' : ' That Secret is a hook that runs before the Job: `helm uninstall` leaves it, delete it by hand.'}`,
    );
  }
  return lines.join('\n');
}
