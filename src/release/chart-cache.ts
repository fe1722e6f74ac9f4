import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomically } from './atomic-write';
import { archiveDigest } from './chart-archive';

/** The environment variable naming the chart cache folder. */
export const CACHE_ENV = 'HELM_SYNTH_CACHE_DIR';

/** A repository index as last fetched, with what an HTTP revalidation needs. */
export interface CachedIndex {
  /** index.yaml's text. */
  readonly text: string;
  /** The response's ETag. @default none */
  readonly etag?: string;
  /** The response's Last-Modified. @default none */
  readonly lastModified?: string;
}

/**
 * Chart archives and repository indexes kept between runs, so `dependency build` downloads each
 * archive once and works offline. An archive is stored under its repository, name, version and
 * sha256, and read back only when its bytes still hash to that digest; each write goes to a
 * temporary file renamed into place, so a killed run leaves no partial archive.
 */
export class ChartCache {
  /**
   * The cache folder when none is configured: `HELM_SYNTH_CACHE_DIR`, else
   * `$XDG_CACHE_HOME/helm-synth/charts`, else `~/.cache/helm-synth/charts`, read from `env` (the CLI passes its own).
   */
  public static defaultDirectory(env: NodeJS.ProcessEnv): string {
    if (env[CACHE_ENV]) return resolve(env[CACHE_ENV]!);
    const base = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
    return join(base, 'helm-synth', 'charts');
  }

  /** @param directory the cache folder, created when first written */
  constructor(public readonly directory: string) {}

  /** The cached archive of a chart version with this digest; undefined when missing or when its bytes no longer match. */
  public archive(repository: string, name: string, version: string, digest: string): Buffer | undefined {
    const file = this.archiveFile(repository, name, version, digest);
    if (!existsSync(file)) return undefined;
    const data = readFileSync(file);
    if (archiveDigest(data) === digest) return data;
    rmSync(file, { force: true });
    return undefined;
  }

  /** Keeps an archive whose sha256 is `digest`. */
  public storeArchive(repository: string, name: string, version: string, digest: string, data: Buffer): void {
    writeFileAtomically(this.archiveFile(repository, name, version, digest), data);
  }

  /** The repository's index as last fetched; undefined when never fetched. */
  public index(repository: string): CachedIndex | undefined {
    const folder = this.repositoryFolder(repository);
    if (!existsSync(join(folder, 'index.yaml'))) return undefined;
    let meta: { etag?: string; lastModified?: string } = {};
    try {
      meta = JSON.parse(readFileSync(join(folder, 'index.json'), 'utf8'));
    } catch {
      meta = {};
    }
    return { text: readFileSync(join(folder, 'index.yaml'), 'utf8'), etag: meta.etag, lastModified: meta.lastModified };
  }

  /** Keeps a repository's index. */
  public storeIndex(repository: string, index: CachedIndex): void {
    const folder = this.repositoryFolder(repository);
    writeFileAtomically(join(folder, 'index.yaml'), Buffer.from(index.text));
    writeFileAtomically(
      join(folder, 'index.json'),
      Buffer.from(`${JSON.stringify({ etag: index.etag, lastModified: index.lastModified })}\n`),
    );
  }

  private archiveFile(repository: string, name: string, version: string, digest: string): string {
    return join(this.repositoryFolder(repository), `${safe(name)}-${safe(version)}-${digest}.tgz`);
  }

  /** `<host and path, made safe>-<12 hex of sha256(url)>`: readable, and distinct for distinct URLs. */
  private repositoryFolder(repository: string): string {
    const url = repository.replace(/\/+$/, '');
    const readable = safe(url.replace(/^[a-z]+:\/\//, '')).slice(0, 60);
    return join(this.directory, `${readable}-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`);
  }
}

function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9._+-]/g, '_');
}
