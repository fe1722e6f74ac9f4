// Transpiles src/, charts/ and bench/ to lib/ with esbuild (no type-checking: `npm run typecheck` does that).
// With --declarations (npm run build, and `prepare`, which npm runs for npm pack, npm publish and git
// installs) also writes the .d.ts files of src/ with tsc; `npm run synth` and `npm test` skip that.
// First it deletes the outputs of sources that were removed (scripts/stale-outputs.mjs).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { removeStaleOutputs } from './stale-outputs.mjs';

function tsFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

const SOURCES = ['src', 'charts', 'bench'];
removeStaleOutputs('lib', SOURCES);

await build({
  entryPoints: SOURCES.flatMap(tsFiles),
  outdir: 'lib',
  outbase: '.',
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: true,
  logLevel: 'warning',
});

if (process.argv.includes('--declarations')) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
