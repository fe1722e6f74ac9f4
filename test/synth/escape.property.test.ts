import fc from 'fast-check';
import { escapeTemplateComment, escapeTemplateText, joinTemplateText } from '../../src/synth/escape';

/**
 * A model of Go's text/template for the template text the escaping writes: literal text, and
 * actions `{{ "string" }}` or `{{ .Values.pN }}`. Like Go's lexer it starts an action at every
 * `{{` (a `{{- ` trims the space before it) and fails on anything else inside one, such as the `{`
 * of `{{{`. The helm-oracle property test (literal-text.property.test.ts) proves the rule against
 * Go itself; this one runs fast and far more cases.
 */
function execute(template: string, values: readonly string[]): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = template.indexOf('{{', at);
    if (open < 0) return out + template.slice(at);
    out += template.slice(at, open);
    let inside = open + 2;
    if (template.startsWith('- ', inside) || template.startsWith('-\t', inside) || template.startsWith('-\n', inside)) {
      out = out.replace(/[ \t\r\n]+$/, '');
      inside += 1;
    }
    const action = /^[ \t\r\n]*("(?:[^"\\\n]|\\.)*"|\.Values\.p(\d+))[ \t\r\n]*\}\}/.exec(template.slice(inside));
    if (!action) throw new Error(`unexpected ${JSON.stringify(template.slice(inside, inside + 10))} in command at ${inside}`);
    out += action[2] === undefined ? (JSON.parse(action[1]) as string) : values[Number(action[2])];
    at = inside + action[0].length;
  }
}

const PIECES = ['{', '}', '{{', '}}', '{{-', '-}}', '{{ ', ' }}', '{{/*', '*/}}', '"', '\\', '-', ' ', '\n', '\t', '%', '$', 'x'];
const literal = fc.string({
  unit: fc.oneof({ arbitrary: fc.constantFrom(...PIECES), weight: 5 }, fc.string({ unit: 'binary', maxLength: 1 })),
  maxLength: 8,
});
const RUNS = 20_000;

describe('escaping literal text for the template engine (model of Go’s lexer)', () => {
  test('escaped text prints exactly itself', () => {
    fc.assert(
      fc.property(literal, (text) => execute(escapeTemplateText(text), []) === text),
      { numRuns: RUNS, seed: 16 },
    );
  });

  test('literal text and actions in any order print the text as written and each action its value', () => {
    const part = fc.oneof(
      literal.map((text) => ({ literal: text })),
      fc.constantFrom(...[0, 1, 2].map((i) => ({ action: `{{ .Values.p${i} }}` }))),
    );
    const values = ['V0', '{', '}}'];
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
        const expected = parts.map((p) => ('literal' in p ? p.literal : values[Number(/p(\d)/.exec(p.action)![1])])).join('');
        return execute(joinTemplateText(parts), values) === expected;
      }),
      { numRuns: RUNS, seed: 16 },
    );
  });

  test('only what the lexer would misread is escaped: }} and single braces stay as written', () => {
    expect(escapeTemplateText('{"plugins":{}}')).toBe('{"plugins":{}}');
    expect(escapeTemplateText('a{{b}}')).toBe('a{{ "{{" }}b}}');
    expect(escapeTemplateText('{{{')).toBe('{{ "{{" }}{');
    expect(escapeTemplateText('x{', '{{ .Values.a }}')).toBe('x{{ "{" }}');
    expect(escapeTemplateText('x{', 'y')).toBe('x{');
    expect(joinTemplateText([{ literal: '{' }, { action: '{{ .Values.a }}' }, { literal: '}' }])).toBe('{{ "{" }}{{ .Values.a }}}');
    expect(joinTemplateText([{ literal: 'a{' }, { literal: '' }, { literal: '{b' }])).toBe('a{{ "{" }}{b');
    expect(escapeTemplateComment('# x <no value> {{')).toBe('# x \\u003cno value> {{ "{{" }}');
  });
});
