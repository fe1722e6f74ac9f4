import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { HelmSynthError } from '../errors';
import { chartDirectories, VALUES_TYPES_HEADER, valuesTypesFileName, valuesTypesOfChart } from '../release/internal';
import { FlagKind, parseArgs } from './command-args';
import { ProjectConfig } from './project-config';

const USAGE = 'usage: helm-synth types [CHART|DIR|ARCHIVE|SCHEMA.json]... [--out DIR] [--name INTERFACE]';

/**
 * `helm-synth types`: TypeScript declarations of chart values (see `valuesTypesOfChart`) for the
 * charts of the output folder (all, or the CHARTs named) or any chart folder, archive or schema file.
 * One chart without `--out` prints to stdout; with `--out DIR` each goes to `DIR/<chart>.values.d.ts`.
 */
export function runTypes(config: ProjectConfig, args: string[]): number {
  const parsed = parseArgs('types', args, {
    '--out': { kind: FlagKind.VALUE, key: 'out' },
    '--name': { kind: FlagKind.VALUE, key: 'name' },
  });
  const sources = chartSources(config, parsed.positionals);
  const name = parsed.values.get('name');
  if (name !== undefined && (sources.length !== 1 || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name))) {
    throw new HelmSynthError(
      'types',
      `--name takes one TypeScript identifier and one chart; got ${JSON.stringify(name)} for ${sources.length} chart(s)`,
    );
  }
  const out = parsed.values.get('out');
  if (out === undefined) {
    if (sources.length !== 1) {
      console.error(`helm-synth types: ${sources.length} charts: give --out DIR to write one file each\n${USAGE}`);
      return 2;
    }
    process.stdout.write(valuesTypesOfChart(sources[0], { name }));
    return 0;
  }
  writeValuesTypes(config, sources, out, name);
  return 0;
}

/**
 * Writes `<out>/<chart>.values.d.ts` for each chart source, replacing only files helm-synth wrote
 * (they start with its header); refuses an `out` inside the output folder, which synth owns.
 */
export function writeValuesTypes(config: ProjectConfig, sources: readonly string[], out: string, name?: string): void {
  const outdir = resolve(config.output);
  const target = resolve(out);
  if (target === outdir || !relative(outdir, target).startsWith('..')) {
    throw new HelmSynthError(
      out,
      `is inside the output folder ${config.output}, which synth owns: write the types elsewhere (e.g. --out types)`,
    );
  }
  if (existsSync(target) && !statSync(target).isDirectory()) throw new HelmSynthError(out, 'is a file; --out takes a folder');
  const files = sources.map((source) => ({ path: join(target, valuesTypesFileName(source)), text: valuesTypesOfChart(source, { name }) }));
  for (const { path } of files) {
    if (existsSync(path) && !readFileSync(path, 'utf8').startsWith(VALUES_TYPES_HEADER)) {
      throw new HelmSynthError(path, 'exists and was not written by helm-synth types: move it away or choose another --out');
    }
  }
  mkdirSync(target, { recursive: true });
  for (const { path, text } of files) {
    if (existsSync(path) && readFileSync(path, 'utf8') === text) {
      console.log(`${relative(process.cwd(), path)}: unchanged`);
      continue;
    }
    const temporary = join(target, `.${basename(path)}.helm-synth.tmp`);
    writeFileSync(temporary, text);
    renameSync(temporary, path);
    console.log(`${relative(process.cwd(), path)}: written`);
  }
}

/** Chart names of the output folder, or paths (a chart folder, an archive, a schema file); all charts of the output folder when none is given. */
function chartSources(config: ProjectConfig, positionals: readonly string[]): string[] {
  const dirs = existsSync(config.output) ? chartDirectories(config.output) : [];
  if (positionals.length === 0) {
    if (dirs.length === 0)
      throw new HelmSynthError(config.output, 'holds no chart directory: run helm-synth synth first, or name a chart folder or archive');
    return dirs;
  }
  return positionals.map((item) => {
    const dir = dirs.find((candidate) => basename(candidate) === item);
    if (dir) return dir;
    if (existsSync(item)) return item;
    throw new HelmSynthError('types', `${JSON.stringify(item)} is no chart of ${config.output} and no file or folder`);
  });
}
