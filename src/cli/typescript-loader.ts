import { readFileSync } from 'node:fs';
import { compileTypeScript } from '../testing/typescript';
import { originalPosition } from './source-map';

const SOURCE_MAPS = Symbol.for('helm-synth.typescript-source-maps');

type Loader = (module: NodeModule & { _compile(code: string, file: string): void }, file: string) => void;
type Registry = { [SOURCE_MAPS]?: Map<string, string> };

/**
 * Lets `require` load `.ts` files, each compiled by esbuild when first required (no
 * type-checking), keeping each file's source map for `mapStack`. Node's own source-map support is
 * left off: it would also parse the maps of every package loaded afterwards. Registers once per
 * process; a `.ts` loader someone else registered is left in place.
 */
export function registerTypeScript(): void {
  const extensions = require.extensions as unknown as Record<string, Loader>;
  if (extensions['.ts']) return;
  const maps = ((globalThis as Registry)[SOURCE_MAPS] ??= new Map());
  extensions['.ts'] = (module, file) => {
    const { code, map } = compileTypeScript(readFileSync(file, 'utf8'), file);
    maps.set(file, (JSON.parse(map) as { mappings: string }).mappings);
    module._compile(code, file);
  };
}

/** A stack trace with each position in a TypeScript file `registerTypeScript` compiled turned into its line and column in that file. */
export function mapStack(stack: string): string {
  const maps = (globalThis as Registry)[SOURCE_MAPS];
  if (!maps?.size) return stack;
  return stack.replace(/((?:\/|[A-Za-z]:\\)[^():\n]*?):(\d+):(\d+)/g, (whole, file: string, line: string, column: string) => {
    const mappings = maps.get(file);
    const original = mappings && originalPosition(mappings, { line: Number(line), column: Number(column) });
    return original ? `${file}:${original.line}:${original.column}` : whole;
  });
}
