import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileTypeScript, compileTypeScriptFiles, CompiledTypeScript } from '../testing/typescript';
import { originalPosition } from './source-map';

/** At most this many `.ts` files beside the app are compiled ahead in one esbuild run. */
const AHEAD_LIMIT = 2000;

type Loader = (module: NodeModule & { _compile(code: string, file: string): void }, file: string) => void;
/** The source-map mappings of every `.ts` file compiled in this process, by file. */
const sourceMaps = new Map<string, string>();

/**
 * Lets `require` load `.ts` files compiled by esbuild (no type-checking), keeping each file's
 * source map for `mapStack`. The `.ts` files of the app's folder (outside `node_modules` and hidden
 * folders) are compiled ahead in one esbuild run, in esbuild's one-shot mode: that costs one
 * process start (~15 ms) where a compile per file costs one each, or esbuild's worker thread ~50 ms
 * to start. Any other `.ts` file is compiled when required. Node's own source-map support stays
 * off: it would parse the maps of every module loaded afterwards. Registers once per process; a
 * `.ts` loader someone else registered is left in place.
 *
 * @param appFile the app's entry file (absolute)
 */
export function registerTypeScript(appFile: string): void {
  const extensions = require.extensions as unknown as Record<string, Loader>;
  if (extensions['.ts']) return;
  process.env.ESBUILD_WORKER_THREADS ??= '0';
  const root = realpathSync(dirname(appFile));
  const ahead = compileTypeScriptFiles(root, typeScriptFiles(root)) ?? new Map<string, CompiledTypeScript>();
  extensions['.ts'] = (module, file) => {
    const { code, map } = ahead.get(file) ?? compileTypeScript(readFileSync(file, 'utf8'), file);
    sourceMaps.set(file, (JSON.parse(map) as { mappings: string }).mappings);
    module._compile(code, file);
  };
}

/** The `.ts` files under a folder, not in `node_modules` or hidden folders, at most AHEAD_LIMIT of them (none when there are more). */
function typeScriptFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string): boolean => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      if (entry.isDirectory()) {
        if (!visit(join(dir, entry.name))) return false;
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        found.push(join(dir, entry.name));
        if (found.length > AHEAD_LIMIT) return false;
      }
    }
    return true;
  };
  return visit(root) ? found : [];
}

/** A stack trace with each position in a TypeScript file `registerTypeScript` compiled turned into its line and column in that file. */
export function mapStack(stack: string): string {
  if (!sourceMaps.size) return stack;
  return stack.replace(/((?:\/|[A-Za-z]:\\)[^():\n]*?):(\d+):(\d+)/g, (whole, file: string, line: string, column: string) => {
    const mappings = sourceMaps.get(file);
    const original = mappings && originalPosition(mappings, { line: Number(line), column: Number(column) });
    return original ? `${file}:${original.line}:${original.column}` : whole;
  });
}
