import { join } from 'node:path';
import { exportedNames } from '../support/typecheck';

// A name of an entry point exists at run time exactly when TypeScript knows it as a value: a type
// re-exported without `export type` would be an undefined property that `import { Props } from
// 'helm-synth'` in an .mjs file accepts silently (tsconfig.json's isolatedModules rejects it at compile time).
const ENTRY_POINTS: Record<string, string> = {
  'helm-synth': 'index.ts',
  'helm-synth/postgres': 'postgres/index.ts',
  'helm-synth/release': 'release/index.ts',
  'helm-synth/testing': 'testing/index.ts',
};

describe.each(Object.entries(ENTRY_POINTS))('%s', (_entry, file) => {
  const source = join(__dirname, '..', '..', 'src', file);
  const runtime = require(source) as Record<string, unknown>;

  test('every run-time export is defined', () => {
    expect(Object.keys(runtime).filter((name) => runtime[name] === undefined)).toEqual([]);
  });

  test('the run-time exports are exactly the names TypeScript exports as values', () => {
    expect(Object.keys(runtime).sort()).toEqual(exportedNames(source, 'values').sort());
  });
});
