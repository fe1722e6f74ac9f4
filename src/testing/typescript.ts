import type { TransformFailure } from 'esbuild';
import { isAbsolute, join, relative } from 'node:path';
import { HelmSynthError } from '../errors';

/** A compiled TypeScript file: CommonJS code, and its source map (v3 JSON) back to the TypeScript. */
export interface CompiledTypeScript {
  readonly code: string;
  readonly map: string;
}

const OPTIONS = { format: 'cjs', target: 'node18', sourcemap: 'external', logLevel: 'silent' } as const;

/**
 * Compiles one TypeScript file to CommonJS for Node (ES2021 syntax kept) with esbuild. Types are
 * stripped, not checked (`tsc --noEmit` does that). A syntax error is a HelmSynthError at
 * `file:line:column`.
 *
 * @param file the file's path, as stack traces and errors show it
 */
export function compileTypeScript(source: string, file: string): CompiledTypeScript {
  const esbuild = require('esbuild') as typeof import('esbuild');
  try {
    const { code, map } = esbuild.transformSync(source, { ...OPTIONS, loader: file.endsWith('.tsx') ? 'tsx' : 'ts', sourcefile: file });
    return { code, map };
  } catch (error) {
    const first = (error as Partial<TransformFailure>).errors?.[0];
    if (!first) throw error;
    const shown = isAbsolute(file) ? relative(process.cwd(), file) || file : file;
    const where = first.location ? `${shown}:${first.location.line}:${first.location.column + 1}` : shown;
    throw new HelmSynthError(where, first.text);
  }
}

/**
 * Compiles several TypeScript files (absolute paths under `root`) in one esbuild run, as
 * `compileTypeScript` would each; undefined when any of them fails to compile (compile them one by
 * one then, so that only the files actually loaded can fail).
 */
export function compileTypeScriptFiles(root: string, files: readonly string[]): Map<string, CompiledTypeScript> | undefined {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const outdir = join(root, '.helm-synth-compiled');
  let outputs: ReadonlyArray<{ path: string; text: string }>;
  try {
    outputs = esbuild.buildSync({ ...OPTIONS, entryPoints: [...files], outbase: root, outdir, write: false, platform: 'node' }).outputFiles;
  } catch {
    return undefined;
  }
  const texts = new Map(outputs.map((output) => [output.path, output.text]));
  const compiled = new Map<string, CompiledTypeScript>();
  for (const file of files) {
    const out = join(outdir, relative(root, file)).replace(/\.tsx?$/, '.js');
    const code = texts.get(out);
    const map = texts.get(`${out}.map`);
    if (code === undefined || map === undefined) return undefined;
    compiled.set(file, { code, map });
  }
  return compiled;
}
