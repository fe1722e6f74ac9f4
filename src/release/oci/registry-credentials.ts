import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeValue, HelmSynthError } from '../../errors';

/** A user name and password (or token) for a registry. */
export interface RegistryCredentials {
  /** User name. */
  readonly username: string;
  /** Password or access token. */
  readonly password: string;
  /** Where they were found, for messages (never the secret). */
  readonly source: string;
}

/** Environment variable holding the registry user name; with the password it overrides every config file. */
export const REGISTRY_USERNAME_ENV = 'HELM_SYNTH_REGISTRY_USERNAME';
/** Environment variable holding the registry password or token. */
export const REGISTRY_PASSWORD_ENV = 'HELM_SYNTH_REGISTRY_PASSWORD';

/**
 * The config files that may hold credentials, in the order they are read: Helm's registry config
 * (`HELM_REGISTRY_CONFIG`, else `$HELM_CONFIG_HOME`, `$XDG_CONFIG_HOME/helm` or `~/.config/helm`,
 * then `registry/config.json`), then Docker's (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`).
 */
export function credentialFiles(env: NodeJS.ProcessEnv): string[] {
  const helmConfigHome =
    env.HELM_CONFIG_HOME || (env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, 'helm') : join(homedir(), '.config', 'helm'));
  const helm = env.HELM_REGISTRY_CONFIG || join(helmConfigHome, 'registry', 'config.json');
  const docker = join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json');
  return [helm, docker];
}

/**
 * Credentials for a registry (`host[:port]`): `HELM_SYNTH_REGISTRY_USERNAME` and
 * `HELM_SYNTH_REGISTRY_PASSWORD` when both are set, else the first config file (see
 * `credentialFiles`) whose `auths` has the registry (keys `host:port`, `https://host:port` or
 * `http://host:port`, with or without a path; Docker Hub's hosts share `https://index.docker.io/v1/`)
 * with `auth` (base64 of `user:password`) or
 * `username`/`password`. Credential helpers (`credsStore`, `credHelpers`) are not run: when one is
 * configured for the registry and nothing else is found, the error names the variables to set.
 * Undefined when there are none. `env` is the environment to read (the CLI passes its own).
 */
export function findCredentials(registry: string, env: NodeJS.ProcessEnv): RegistryCredentials | undefined {
  const username = env[REGISTRY_USERNAME_ENV];
  const password = env[REGISTRY_PASSWORD_ENV];
  if (username && password !== undefined) return { username, password, source: `${REGISTRY_USERNAME_ENV}/${REGISTRY_PASSWORD_ENV}` };
  if (username || password) {
    throw new HelmSynthError(
      username ? REGISTRY_PASSWORD_ENV : REGISTRY_USERNAME_ENV,
      `must be set too when ${username ? REGISTRY_USERNAME_ENV : REGISTRY_PASSWORD_ENV} is set`,
    );
  }
  for (const file of credentialFiles(env)) {
    if (!existsSync(file)) continue;
    const config = readConfig(file);
    const entry = authEntry(config, registry);
    if (!entry) {
      const helper = (config.credHelpers as Record<string, unknown> | undefined)?.[registry] ?? config.credsStore;
      if (helper !== undefined) {
        throw new HelmSynthError(
          file,
          `uses the credential helper ${describeValue(helper)}, which helm-synth does not run: set ${REGISTRY_USERNAME_ENV} and ${REGISTRY_PASSWORD_ENV} for ${registry}`,
        );
      }
      continue;
    }
    return decodeEntry(entry, `${file} (auths.${registry})`);
  }
  return undefined;
}

function readConfig(file: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HelmSynthError(file, `is not JSON: ${(error as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new HelmSynthError(file, `must be a JSON object; got ${describeValue(data)}`);
  return data as Record<string, unknown>;
}

/** Docker Hub's registry host names; `docker login` stores their credentials under `https://index.docker.io/v1/`. */
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

function authEntry(config: Record<string, unknown>, registry: string): Record<string, unknown> | undefined {
  const auths = config.auths;
  if (!auths || typeof auths !== 'object') return undefined;
  const sameRegistry = (host: string): boolean => host === registry || (DOCKER_HUB.has(host) && DOCKER_HUB.has(registry));
  for (const [key, entry] of Object.entries(auths as Record<string, unknown>)) {
    const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (sameRegistry(host) && entry && typeof entry === 'object') return entry as Record<string, unknown>;
  }
  return undefined;
}

function decodeEntry(entry: Record<string, unknown>, source: string): RegistryCredentials | undefined {
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new HelmSynthError(source, 'auth must be base64 of "user:password"');
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string')
    return { username: entry.username, password: entry.password, source };
  return undefined;
}
