import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectFiles } from '../../src/cli/init-templates';
import { readPackageInfo } from '../../src/cli/package-info';
import { readmeSnippets } from '../support/readme';
import { deprecatedUses } from '../support/typecheck';

// What users copy from — the README, the project `helm-synth init` writes, the example charts and the
// example packages — uses the current names, never one kept only as a @deprecated alias.
const ROOT = join(__dirname, '..', '..');

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'lib' || entry === 'dist') return [];
    if (statSync(path).isDirectory()) return typeScriptFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

test('README snippets use no deprecated API', () => {
  const snippets = readmeSnippets();
  expect(snippets.length).toBeGreaterThan(0);
  expect(deprecatedUses(new Map(snippets.map((s) => [join(ROOT, 'readme-snippets', `${s.name}.ts`), s.code])))).toEqual([]);
});

test('the project helm-synth init writes uses no deprecated API', () => {
  const files = [...projectFiles('my-charts', readPackageInfo(), 'file:../helm-synth-0.1.0.tgz')].filter(([path]) => path.endsWith('.ts'));
  expect(files.length).toBeGreaterThanOrEqual(3);
  expect(deprecatedUses(new Map(files.map(([path, text]) => [join(ROOT, 'init-project', path), text])))).toEqual([]);
});

test('the example charts and example packages use no deprecated API', () => {
  const files = [...typeScriptFiles(join(ROOT, 'charts')), ...typeScriptFiles(join(ROOT, 'examples'))];
  expect(deprecatedUses(new Map(files.map((path) => [path, readFileSync(path, 'utf8')])))).toEqual([]);
});
