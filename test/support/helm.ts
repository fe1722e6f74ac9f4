import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const ORACLE = join(__dirname, '..', '..', '..', 'shared', 'tools', 'helm-oracle', 'bin', 'helm-oracle');

/**
 * The Helm to render with: a real `helm` on PATH, else the stand-in named by HELM_BIN, else the
 * helm-oracle that `.ci/run` builds beside the project. Undefined when none is there.
 */
export function findHelm(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  if (process.env.HELM_BIN && existsSync(process.env.HELM_BIN)) return process.env.HELM_BIN;
  return existsSync(ORACLE) ? ORACLE : undefined;
}

/** Why Helm-based tests are skipped, printed once per suite. */
export const NO_HELM_MESSAGE = 'no helm on PATH, no HELM_BIN, and ../shared/tools/helm-oracle/bin/helm-oracle is not built (.ci/run builds it)';

/** Options of a render. */
export interface RenderOptions {
  readonly release?: string;
  readonly namespace?: string;
  readonly valuesFiles?: readonly string[];
  readonly set?: Readonly<Record<string, string>>;
  readonly isUpgrade?: boolean;
}

/** `helm template`; returns the rendered text (throws with Helm's stderr on failure). */
export function helmTemplate(helm: string, chartDir: string, options: RenderOptions = {}): string {
  const args = ['template', options.release ?? 'release-name', chartDir, '--namespace', options.namespace ?? 'default'];
  for (const file of options.valuesFiles ?? []) args.push('-f', file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${value}`);
  if (options.isUpgrade) args.push('--is-upgrade');
  const result = spawnSync(helm, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  return result.stdout;
}

/** `helm lint --strict`; returns stdout (throws with the output on failure). */
export function helmLint(helm: string, chartDir: string): string {
  try {
    return execFileSync(helm, ['lint', '--strict', chartDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`helm lint failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** Parses rendered output into its non-empty documents (throws on any YAML error). */
export function parseManifests(rendered: string): Array<Record<string, any>> {
  return parseAllDocuments(rendered, { version: '1.1' }).map((doc) => {
    if (doc.errors.length) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
    return doc.toJS() as Record<string, any>;
  }).filter((doc) => doc !== null && doc !== undefined);
}
