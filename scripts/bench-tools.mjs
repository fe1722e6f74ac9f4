// The commands `npm run bench` times, each run in a scratch folder of its own: every path is
// absolute, and the working folder holds its own cdk8s.yaml, so neither cdk8s (which empties the
// output folder the cdk8s.yaml of its working folder names, even with --stdout) nor helm-synth ever
// writes or deletes anything in the project, whatever folder bench is started from.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: where lib/ and node_modules/ are. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The tools bench compares, with their output under `work` (a new folder under the system's
 * temporary folder when not given). Each tool takes `{ app, noWrite }` and returns
 * `{ env, argv, cwd }`; `cwd` is a folder under `work` whose cdk8s.yaml names an output folder under
 * `work` too.
 */
export function benchTools(work = mkdtempSync(join(tmpdir(), 'helm-synth-bench-'))) {
  const out = (name) => join(work, name);
  const cwd = out('cwd');
  mkdirSync(cwd, { recursive: true });
  // cdk8s splits --app at spaces and keeps quotes: the paths go unquoted.
  const apps = `${process.execPath} ${join(ROOT, 'lib/bench/apps.js')}`;
  writeFileSync(
    join(cwd, 'cdk8s.yaml'),
    `# Written by scripts/bench-tools.mjs: a working folder of bench's own.\nlanguage: typescript\napp: ${JSON.stringify(apps)}\noutput: ${JSON.stringify(out('cdk8s-default-output'))}\n`,
  );
  const cli = join(ROOT, 'lib/src/cli/main.js');
  // A full synth writes into a folder name never used before: deleting 2,700 files just before
  // creating them again makes this machine's disk stall for seconds (discard), whoever creates them.
  let fresh = 0;
  const empty = (name) => out(`${name}-${fresh++}`);
  const tools = {
    'helm-synth': ({ app, noWrite }) => ({
      cwd,
      env: { BENCH_APP: app },
      argv: [process.execPath, cli, 'synth', '--app', apps, '--output', empty('helm-synth'), ...(noWrite ? ['--dry-run'] : [])],
    }),
    'cdk8s synth': ({ app, noWrite }) => ({
      cwd,
      env: { BENCH_APP: app, BENCH_TOOL: 'cdk8s' },
      argv: [
        join(ROOT, 'node_modules/.bin/cdk8s'),
        'synth',
        '--no-check-upgrade',
        '--app',
        apps,
        ...(noWrite ? ['--stdout'] : ['--output', empty('cdk8s')]),
      ],
    }),
    floor: ({ app }) => ({
      cwd,
      env: { BENCH_APP: app, BENCH_TOOL: 'cdk8s-app', BENCH_OUTDIR: empty('floor') },
      argv: [process.execPath, join(ROOT, 'lib/bench/apps.js')],
    }),
    're-synth': ({ app }) => ({
      cwd,
      env: { BENCH_APP: app },
      argv: [process.execPath, cli, 'synth', '--app', apps, '--output', out('re-synth')],
    }),
  };
  return { work, out, empty, tools };
}
