// Transpiles src/, charts/ and bench/ to lib/ with esbuild (no type-checking: `npm run typecheck` does that).
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function tsFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

await build({
  entryPoints: [...tsFiles('src'), ...tsFiles('charts'), ...tsFiles('bench')],
  outdir: 'lib',
  outbase: '.',
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: true,
  logLevel: 'warning',
});
