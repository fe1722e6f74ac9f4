import { HelmIgnore } from '../../src/release/internal';
import { expectHelmSynthError } from '../support/errors';

describe('HelmIgnore (Helm 3 pkg/ignore semantics)', () => {
  test('a pattern without a slash matches base names at any depth; with a slash, the path from the chart root', () => {
    const rules = HelmIgnore.parse('*.bak\nci/*.yaml\n/top.txt\n');
    expect(rules.ignores('values.bak', false)).toBe(true);
    expect(rules.ignores('templates/deep/x.bak', false)).toBe(true);
    expect(rules.ignores('ci/test.yaml', false)).toBe(true);
    expect(rules.ignores('sub/ci/test.yaml', false)).toBe(false);
    expect(rules.ignores('top.txt', false)).toBe(true);
    expect(rules.ignores('templates/top.txt', false)).toBe(false);
    expect(rules.ignores('values.yaml', false)).toBe(false);
  });

  test('* and ? never cross a slash; character classes and escapes work like Go filepath.Match', () => {
    const rules = HelmIgnore.parse('docs/*\nfile-[a-c].txt\nx[^0-9]y\nstar\\*\n');
    expect(rules.ignores('docs/readme.md', false)).toBe(true);
    expect(rules.ignores('docs/deep/readme.md', false)).toBe(false);
    expect(rules.ignores('file-b.txt', false)).toBe(true);
    expect(rules.ignores('file-d.txt', false)).toBe(false);
    expect(rules.ignores('xay', false)).toBe(true);
    expect(rules.ignores('x5y', false)).toBe(false);
    expect(rules.ignores('star*', false)).toBe(true);
    expect(rules.ignores('starx', false)).toBe(false);
  });

  test('a trailing slash matches directories only', () => {
    const rules = HelmIgnore.parse('build/\n');
    expect(rules.ignores('build', true)).toBe(true);
    expect(rules.ignores('build', false)).toBe(false);
  });

  test('comments, blank lines and surrounding spaces are ignored; inline comments are part of the pattern', () => {
    const rules = HelmIgnore.parse('# comment\n\n   *.tmp   \nfoo # not a comment\n');
    expect(rules.ignores('a.tmp', false)).toBe(true);
    expect(rules.ignores('foo', false)).toBe(false);
    expect(rules.ignores('foo # not a comment', false)).toBe(true);
  });

  test('hidden files under templates/ are always ignored (Helm adds templates/.?*)', () => {
    const rules = HelmIgnore.parse('');
    expect(rules.ignores('templates/.swp', false)).toBe(true);
    expect(rules.ignores('.helmignore', false)).toBe(false);
    expect(rules.ignores('charts/sub/templates/.x', false)).toBe(false);
  });

  test("a ! rule is Helm's: it ignores every path it does not match (it cannot re-include)", () => {
    const rules = HelmIgnore.parse('*.txt\n!keep.txt\n');
    expect(rules.ignores('keep.txt', false)).toBe(true);
    const negativeFirst = HelmIgnore.parse('!Chart.yaml\n');
    expect(negativeFirst.ignores('Chart.yaml', false)).toBe(false);
    expect(negativeFirst.ignores('values.yaml', false)).toBe(true);
  });

  test('** and malformed globs are errors naming the file and the pattern', () => {
    expectHelmSynthError(
      () => HelmIgnore.parse('templates/**/x\n', 'web/.helmignore'),
      'web/.helmignore',
      '"templates/**/x"',
      'double-star',
    );
    expectHelmSynthError(() => HelmIgnore.parse('file[ab\n', 'web/.helmignore'), 'web/.helmignore', '"file[ab"', 'unclosed [');
    expectHelmSynthError(() => HelmIgnore.parse('trailing\\\n', 'web/.helmignore'), 'web/.helmignore', 'backslash');
    expectHelmSynthError(() => HelmIgnore.parse('x[]\n', 'web/.helmignore'), 'web/.helmignore', '"x[]"');
  });
});
