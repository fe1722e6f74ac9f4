import type { TransformFailure } from 'esbuild';
import { isAbsolute, relative } from 'node:path';
import { HelmSynthError } from '../errors';

/** A compiled TypeScript file: CommonJS code, and its source map (v3 JSON) back to the TypeScript. */
export interface CompiledTypeScript {
  readonly code: string;
  readonly map: string;
}

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
    const { code, map } = esbuild.transformSync(source, {
      loader: file.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'cjs',
      target: 'node18',
      sourcemap: 'external',
      sourcefile: file,
      logLevel: 'silent',
    });
    return { code, map };
  } catch (error) {
    const first = (error as Partial<TransformFailure>).errors?.[0];
    if (!first) throw error;
    const shown = isAbsolute(file) ? relative(process.cwd(), file) || file : file;
    const where = first.location ? `${shown}:${first.location.line}:${first.location.column + 1}` : shown;
    throw new HelmSynthError(where, first.text);
  }
}
