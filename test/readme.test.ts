import { join } from 'node:path';
import { readmeSnippets } from './support/readme';
import { typeCheck } from './support/typecheck';

const ROOT = join(__dirname, '..');

/**
 * Every TypeScript snippet of README.md compiles as a file of its own, against helm-synth's sources
 * (`helm-synth` and `helm-synth/testing` mapped to src/) and the peers this repository installs.
 * The end-to-end test (`npm run e2e`) compiles and runs them against the packed package.
 */
describe('README.md TypeScript snippets', () => {
  const snippets = readmeSnippets();

  test('there are snippets, each a complete file that imports what it uses from helm-synth', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
    for (const snippet of snippets)
      expect({ line: snippet.line, imports: /from 'helm-synth(\/testing)?';/.test(snippet.code) }).toEqual({
        line: snippet.line,
        imports: true,
      });
  });

  test('each type-checks (strict)', () => {
    const files = new Map(snippets.map((s) => [join(ROOT, 'readme-snippets', `${s.name}.ts`), s.code]));
    const problems = typeCheck(files).map((p) => `${p.file}:${p.line} ${p.message}`);
    expect(problems).toEqual([]);
  });
});
