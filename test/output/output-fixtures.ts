import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputChart } from '../../src/output/output-writer';

/** A fresh temporary folder; `cleanup` removes every one made. */
export function tempFolder(prefix = 'helm-synth-output-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const made: string[] = [];

/** Removes every temporary folder made by tempFolder. */
export function cleanup(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A small chart as plain data: Chart.yaml, values.yaml and `templates` template files whose content carries `version`. */
export function chart(name: string, version = '1', templates = 2): OutputChart {
  const files = new Map<string, string>([
    ['Chart.yaml', `apiVersion: v2\nname: ${name}\nversion: 1.0.${version}\n`],
    ['values.yaml', `replicaCount: 1\n`],
  ]);
  for (let i = 0; i < templates; i++) files.set(`templates/t${i}.yaml`, `kind: ConfigMap\n# ${name} ${i} v${version}\n`);
  return { name, files };
}

/** Every file below a folder (dot files too), by `/`-separated relative path → content. */
export function tree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path, `${prefix}${entry.name}/`);
      else result[`${prefix}${entry.name}`] = readFileSync(path, 'utf8');
    }
  };
  walk(dir, '');
  return result;
}

/** The files charts should produce in an output folder, by path → content (without the manifest). */
export function expectedTree(charts: readonly OutputChart[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const c of charts) for (const [path, content] of c.files) result[`${c.name}/${path}`] = content;
  return result;
}

/** A tree without helm-synth's manifest. */
export function withoutManifest(files: Record<string, string>): Record<string, string> {
  const { ['.helm-synth.json']: _manifest, ...rest } = files;
  return rest;
}
