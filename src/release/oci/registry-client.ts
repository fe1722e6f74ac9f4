import { createHash } from 'node:crypto';
import { describeValue, HelmSynthError } from '../../errors';
import { isLoopbackRegistry } from './oci-reference';
import { findCredentials, RegistryCredentials } from './registry-credentials';

/** How to reach a registry. */
export interface RegistryConnectionOptions {
  /** Speak plain HTTP instead of HTTPS. @default true for 127.0.0.1, ::1 and localhost, else false */
  readonly plainHttp?: boolean;
  /** Credentials to use; `null` for none. @default found by `findCredentials` (environment, Helm's and Docker's config files) */
  readonly credentials?: RegistryCredentials | null;
  /** Environment to read credentials and config file locations from (the CLI passes its own). @default none: config files at their default places */
  readonly env?: NodeJS.ProcessEnv;
}

/** A blob or manifest read from a registry, its digest checked. */
export interface RegistryContent {
  /** The bytes. */
  readonly data: Buffer;
  /** `sha256:<hex>` of the bytes. */
  readonly digest: string;
  /** Content-Type the registry gave. */
  readonly mediaType: string;
}

/** OCI image manifest media type. */
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/** Docker's image manifest media type (schema 2), accepted when reading what a tag holds. */
const DOCKER_MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

const MAX_REDIRECTS = 5;

/** `sha256:<hex>` of bytes: the digest form of OCI descriptors. */
export function ociDigest(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

interface RequestSpec {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

/**
 * A client of one registry's distribution API (`/v2/`): Basic authentication and the Bearer token
 * flow (a 401 naming `Bearer realm=...,service=...,scope=...` is answered by asking the realm for a
 * token, with the credentials when there are any, then retrying), redirects followed without the
 * credentials to another host.
 */
export class RegistryClient {
  private readonly baseUrl: string;
  private readonly credentials: RegistryCredentials | undefined;
  private authorization: string | undefined;

  /**
   * @param registry `host[:port]`
   * @param scopeHint token scopes asked for besides the one a challenge names (`repository:NAME:pull,push` for a push)
   */
  constructor(
    public readonly registry: string,
    options: RegistryConnectionOptions = {},
    private readonly scopeHint: readonly string[] = [],
  ) {
    const plain = options.plainHttp ?? isLoopbackRegistry(registry);
    this.baseUrl = `${plain ? 'http' : 'https'}://${registry}`;
    this.credentials = options.credentials === null ? undefined : (options.credentials ?? findCredentials(registry, options.env ?? {}));
  }

  /** Whether the repository has the blob. */
  public async hasBlob(repository: string, digest: string): Promise<boolean> {
    const response = await this.send({ method: 'HEAD', path: `/v2/${repository}/blobs/${digest}` });
    if (response.status === 404) return false;
    await this.expect(response, [200], `checking blob ${digest} in ${repository}`);
    return true;
  }

  /** Uploads a blob in one piece (POST for an upload location, then PUT with the digest). */
  public async pushBlob(repository: string, data: Buffer, digest: string): Promise<void> {
    const started = await this.send({ method: 'POST', path: `/v2/${repository}/blobs/uploads/`, headers: { 'content-length': '0' } });
    await this.expect(started, [202], `starting the upload of ${digest} to ${repository}`);
    const location = started.headers.get('location');
    if (!location) throw new HelmSynthError(this.registry, `gave no upload location for ${repository}`);
    const url = new URL(location, this.baseUrl);
    url.searchParams.set('digest', digest);
    const finished = await this.send({
      method: 'PUT',
      path: url.toString(),
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
      body: data,
    });
    await this.expect(finished, [201, 204], `uploading ${digest} to ${repository}`);
  }

  /** Reads a blob and checks its digest (and size, when given). */
  public async pullBlob(repository: string, digest: string, size?: number): Promise<Buffer> {
    const response = await this.send({ method: 'GET', path: `/v2/${repository}/blobs/${digest}` });
    await this.expect(response, [200], `reading blob ${digest} of ${repository}`);
    const data = Buffer.from(await response.arrayBuffer());
    const actual = ociDigest(data);
    if (actual !== digest)
      throw new HelmSynthError(`${this.registry}/${repository}`, `blob ${digest} arrived with digest ${actual}: refusing it`);
    if (size !== undefined && data.length !== size) {
      throw new HelmSynthError(`${this.registry}/${repository}`, `blob ${digest} has ${data.length} bytes, its manifest says ${size}`);
    }
    return data;
  }

  /** Reads a manifest by tag or digest; undefined when the registry does not have it. A digest reference is checked. */
  public async getManifest(repository: string, reference: string): Promise<RegistryContent | undefined> {
    const response = await this.send({
      method: 'GET',
      path: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: `${OCI_MANIFEST_MEDIA_TYPE}, ${DOCKER_MANIFEST_MEDIA_TYPE}` },
    });
    if (response.status === 404) {
      await response.arrayBuffer();
      return undefined;
    }
    await this.expect(response, [200], `reading manifest ${reference} of ${repository}`);
    const data = Buffer.from(await response.arrayBuffer());
    const digest = ociDigest(data);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new HelmSynthError(`${this.registry}/${repository}`, `manifest ${reference} arrived with digest ${digest}: refusing it`);
    }
    return { data, digest, mediaType: response.headers.get('content-type') ?? '' };
  }

  /** The tags of a repository (every page of `/tags/list`); empty when the registry has no such repository. */
  public async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list`;
    for (let page = 0; path !== undefined && page < 1000; page++) {
      const response: Response = await this.send({ method: 'GET', path, headers: { accept: 'application/json' } });
      if (response.status === 404) {
        await response.arrayBuffer();
        return tags;
      }
      await this.expect(response, [200], `listing the tags of ${repository}`);
      const body = (await response.json()) as { tags?: unknown };
      if (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags)) {
        throw new HelmSynthError(`${this.registry}/${repository}`, `answered the tag list with ${describeValue(body.tags)}`);
      }
      tags.push(...((body.tags ?? []) as unknown[]).filter((tag): tag is string => typeof tag === 'string'));
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get('link') ?? '');
      path = next ? new URL(next[1], this.baseUrl).toString() : undefined;
    }
    return tags;
  }

  /** Stores a manifest under a tag; returns its digest, checked against the one the registry reports. */
  public async putManifest(repository: string, tag: string, manifest: Buffer, mediaType: string): Promise<string> {
    const response = await this.send({
      method: 'PUT',
      path: `/v2/${repository}/manifests/${tag}`,
      headers: { 'content-type': mediaType, 'content-length': String(manifest.length) },
      body: manifest,
    });
    await this.expect(response, [201, 200], `storing manifest ${tag} of ${repository}`);
    const digest = ociDigest(manifest);
    const reported = response.headers.get('docker-content-digest');
    if (reported && reported !== digest) {
      throw new HelmSynthError(
        `${this.registry}/${repository}:${tag}`,
        `the registry stored the manifest as ${reported}, but its bytes have digest ${digest}`,
      );
    }
    return digest;
  }

  private async send(spec: RequestSpec): Promise<Response> {
    let response = await this.fetchFollowing(spec, this.authorization);
    if (response.status !== 401) return response;
    const challenge = response.headers.get('www-authenticate') ?? '';
    await response.arrayBuffer();
    const authorization = await this.answer(challenge, spec);
    if (authorization === undefined) return response;
    this.authorization = authorization;
    response = await this.fetchFollowing(spec, authorization);
    return response;
  }

  /** The Authorization header a 401 challenge asks for; undefined when it cannot be answered. */
  private async answer(challenge: string, spec: RequestSpec): Promise<string | undefined> {
    const scheme = /^\s*(\w+)/.exec(challenge)?.[1]?.toLowerCase();
    if (scheme === 'basic') {
      if (!this.credentials) throw this.unauthorized(spec, 'asks for a user name and password');
      return `Basic ${basic(this.credentials)}`;
    }
    if (scheme !== 'bearer') throw this.unauthorized(spec, `asks for authentication of an unsupported kind: ${describeValue(challenge)}`);
    const parameters = challengeParameters(challenge);
    if (!parameters.realm) throw this.unauthorized(spec, `gave a Bearer challenge without a realm: ${describeValue(challenge)}`);
    const url = new URL(parameters.realm);
    if (parameters.service) url.searchParams.set('service', parameters.service);
    const scopes = [...new Set([...(parameters.scope ? parameters.scope.split(' ') : []), ...this.scopeHint])];
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = {};
    if (this.credentials) headers.authorization = `Basic ${basic(this.credentials)}`;
    let response: Response;
    try {
      response = await fetch(url, { headers });
    } catch (error) {
      throw new HelmSynthError(url.origin, `cannot reach the token service of ${this.registry}: ${causeOf(error)}`);
    }
    if (!response.ok) {
      await response.arrayBuffer();
      throw this.unauthorized(spec, `token service ${url.origin}${url.pathname} answered ${response.status}`);
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    const token = typeof body.token === 'string' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '')
      throw this.unauthorized(spec, `token service ${url.origin}${url.pathname} returned no token`);
    return `Bearer ${token}`;
  }

  private unauthorized(spec: RequestSpec, why: string): HelmSynthError {
    const source = this.credentials
      ? `credentials from ${this.credentials.source}`
      : `no credentials found: set HELM_SYNTH_REGISTRY_USERNAME and HELM_SYNTH_REGISTRY_PASSWORD, or log in with helm registry login or docker login`;
    return new HelmSynthError(this.registry, `${spec.method} ${pathOf(spec.path)} ${why} (${source})`);
  }

  private async fetchFollowing(spec: RequestSpec, authorization: string | undefined): Promise<Response> {
    let url = new URL(spec.path, this.baseUrl);
    const origin = url.origin;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers: Record<string, string> = { ...(spec.headers ?? {}) };
      if (authorization && url.origin === origin) headers.authorization = authorization;
      let response: Response;
      try {
        response = await fetch(url, { method: spec.method, headers, body: spec.body, redirect: 'manual' });
      } catch (error) {
        throw new HelmSynthError(this.registry, `cannot reach ${url.origin}: ${causeOf(error)}`);
      }
      const location = response.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(response.status) || !location || (spec.method !== 'GET' && spec.method !== 'HEAD'))
        return response;
      await response.arrayBuffer();
      url = new URL(location, url);
    }
    throw new HelmSynthError(this.registry, `${spec.method} ${pathOf(spec.path)}: more than ${MAX_REDIRECTS} redirects`);
  }

  private async expect(response: Response, statuses: readonly number[], what: string): Promise<void> {
    if (statuses.includes(response.status)) return;
    const text = response.status === 401 || response.status === 403 || response.body === null ? '' : await response.text().catch(() => '');
    const detail = registryErrors(text);
    const hint =
      response.status === 401
        ? this.credentials
          ? ` (credentials from ${this.credentials.source} were refused)`
          : ' (no credentials found: set HELM_SYNTH_REGISTRY_USERNAME and HELM_SYNTH_REGISTRY_PASSWORD, or log in with helm registry login or docker login)'
        : response.status === 403
          ? ' (access denied)'
          : '';
    throw new HelmSynthError(this.registry, `${what}: the registry answered ${response.status}${detail ? `: ${detail}` : ''}${hint}`);
  }
}

function basic(credentials: RegistryCredentials): string {
  return Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
}

/** `key="value"` pairs of a WWW-Authenticate challenge. */
function challengeParameters(challenge: string): Record<string, string> {
  const result: Record<string, string> = {};
  const pattern = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const match of challenge.replace(/^\s*\w+\s+/, '').matchAll(pattern)) {
    result[match[1].toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
  }
  return result;
}

function registryErrors(text: string): string {
  try {
    const errors = (JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> }).errors;
    if (Array.isArray(errors)) return errors.map((error) => [error.code, error.message].filter(Boolean).join(' ')).join('; ');
  } catch {
    // not JSON: shown as text below
  }
  return text.trim().slice(0, 200);
}

function pathOf(path: string): string {
  return path.startsWith('http') ? new URL(path).pathname : path;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
