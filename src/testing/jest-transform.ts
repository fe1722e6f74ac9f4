import { compileTypeScript } from './typescript';

/**
 * A jest transform for TypeScript tests and charts, with esbuild (no type-checking). In the jest
 * settings: `"transform": { "^.+\\.ts$": "helm-synth/jest-transform" }`.
 */
const transformer = {
  process(source: string, file: string): { code: string; map: string } {
    return compileTypeScript(source, file);
  },
};

export = transformer;
