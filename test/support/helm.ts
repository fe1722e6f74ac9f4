import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HelmRunner, NO_HELM_MESSAGE as LIBRARY_NO_HELM_MESSAGE, parseManifests as parseRendered } from '../../src/helm';

const ORACLE = join(__dirname, '..', '..', '..', 'shared', 'tools', 'helm-oracle', 'bin', 'helm-oracle');

/**
 * The Helm to render with: the library's choice (a real `helm` on PATH, else HELM_BIN), else the
 * helm-oracle that `.ci/run` builds beside the project. Undefined when none is there.
 */
export function findHelm(): string | undefined {
  return HelmRunner.find()?.binary ?? (existsSync(ORACLE) ? ORACLE : undefined);
}

/** Why Helm-based tests are skipped, printed once per suite. */
export const NO_HELM_MESSAGE = `${LIBRARY_NO_HELM_MESSAGE}, and ../shared/tools/helm-oracle/bin/helm-oracle is not built (.ci/run builds it)`;

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
  const set = Object.entries(options.set ?? {}).map(([key, value]) => `${key}=${value}`);
  return new HelmRunner(helm).template(chartDir, { ...options, set });
}

/** `helm lint --strict`; returns stdout (throws with the output on failure). */
export function helmLint(helm: string, chartDir: string): string {
  return new HelmRunner(helm).lint(chartDir);
}

/** Parses rendered output into its non-empty documents (throws on any YAML error). */
export function parseManifests(rendered: string): Array<Record<string, any>> {
  return parseRendered(rendered);
}
