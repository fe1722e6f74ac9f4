import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Debian's registry binary (distribution 2.8). */
export const REGISTRY_BIN = 'docker-registry';

/** Whether a command is on PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Authentication of a test registry: none, an htpasswd file (Basic), or a token service (Bearer). */
export type RegistryAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'htpasswd'; readonly file: string }
  | { readonly kind: 'token'; readonly realm: string; readonly service: string; readonly issuer: string; readonly rootCertBundle: string };

/** A `docker-registry serve` process on 127.0.0.1, storing into a folder of the test. */
export class TestRegistry {
  /** Starts a registry with its storage and config under `folder`; resolves once `/v2/` answers. */
  public static async start(folder: string, auth: RegistryAuth = { kind: 'none' }): Promise<TestRegistry> {
    const port = await freePort();
    mkdirSync(join(folder, 'storage'), { recursive: true });
    const config: Record<string, unknown> = {
      version: 0.1,
      log: { level: 'error' },
      storage: { filesystem: { rootdirectory: join(folder, 'storage') }, delete: { enabled: true } },
      http: { addr: `127.0.0.1:${port}` },
    };
    if (auth.kind === 'htpasswd') config.auth = { htpasswd: { realm: 'helm-synth-test', path: auth.file } };
    if (auth.kind === 'token') {
      config.auth = { token: { realm: auth.realm, service: auth.service, issuer: auth.issuer, rootcertbundle: auth.rootCertBundle } };
    }
    const configFile = join(folder, 'config.yml');
    writeFileSync(configFile, stringify(config));
    const child = spawn(REGISTRY_BIN, ['serve', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const registry = new TestRegistry(`127.0.0.1:${port}`, child);
    for (let attempt = 0; attempt < 100; attempt++) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
      try {
        const response = await fetch(`http://${registry.host}/v2/`);
        await response.arrayBuffer();
        return registry;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    registry.stop();
    throw new Error(`docker-registry did not answer on ${registry.host}: ${stderr}`);
  }

  private constructor(
    /** `127.0.0.1:<port>`. */
    public readonly host: string,
    private readonly child: ChildProcess,
  ) {}

  /** Stops this registry process (by its own pid). */
  public stop(): void {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}

/** Runs skopeo against a registry on 127.0.0.1 (no TLS); throws with its stderr on failure. */
export function skopeo(args: readonly string[]): string {
  const result = spawnSync('skopeo', [...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`skopeo ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}
