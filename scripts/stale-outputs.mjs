// Removes what an earlier build wrote for a source that is gone (lib/src/synth/expression.js after
// src/synth/expression.ts was deleted), so that npm pack never ships a module the sources no longer have.
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The build outputs of one TypeScript source: what esbuild and tsc write for `x.ts`. */
const OUTPUT = /\.(js|js\.map|d\.ts|d\.ts\.map)$/;

/**
 * Deletes every build output under `outDir/<sourceDir>` whose `<sourceDir>/<name>.ts` no longer
 * exists, and the folders that leaves empty. Other files are left alone. Returns the deleted paths.
 */
export function removeStaleOutputs(outDir, sourceDirs, root = '.') {
  const removed = [];
  const sweep = (relative) => {
    const folder = join(root, outDir, relative);
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(relative, entry.name);
      if (entry.isDirectory()) {
        sweep(path);
        if (readdirSync(join(root, outDir, path)).length === 0) rmdirSync(join(root, outDir, path));
      } else if (OUTPUT.test(entry.name) && !existsSync(join(root, path.replace(OUTPUT, '.ts')))) {
        rmSync(join(root, outDir, path));
        removed.push(join(outDir, path));
      }
    }
  };
  for (const sourceDir of sourceDirs) if (existsSync(join(root, outDir, sourceDir))) sweep(sourceDir);
  return removed.sort();
}
