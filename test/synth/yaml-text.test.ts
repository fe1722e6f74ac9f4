import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitTree } from '../../src/synth/emit-template';
import { jsonNode, MapNode } from '../../src/synth/template-tree';
import { commentLines, isPlainSafe, literalBlock, quoteString, readsAsNonString } from '../../src/synth/yaml-text';
import { Testing } from '../../src/testing';

/** Strings a YAML 1.1 reader turns into something else when written plain, and hostile text. */
const CORPUS = [
  'plain',
  'nginx:1.27',
  '50m',
  '64Mi',
  '--step=0',
  'a-b',
  '$HOME',
  'http://a:80/x?y=1#z',
  '0o17',
  '0b101',
  '0x_1F',
  '1_0',
  '+0o17',
  '0777',
  '08',
  '1e3',
  '.5',
  '-.5',
  '.',
  '+.',
  '._',
  '.e1',
  'e7',
  '+E7',
  'e+7',
  '+inf',
  '-Infinity',
  '.NaN',
  '0x1p3',
  '1_000.5',
  '12:30:45',
  '1:20',
  '2021-05-01',
  '2001-12-14t21:59:43.10-05:00',
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'N',
  '~',
  'null',
  'Null',
  'true',
  'FALSE',
  '',
  ' ',
  ' leading',
  'trailing ',
  'a: b',
  'a #b',
  '#x',
  '*x',
  '&x',
  '!x',
  '%x',
  '@x',
  '`x',
  '?x',
  ':x',
  '-',
  '- x',
  '[x]',
  '{x}',
  '|',
  '>',
  'a\tb',
  'quote"inside',
  "it's",
  'back\\slash',
  'x:',
  '<<',
  '=',
  'line\nbreak',
  'two\n',
  'three\n\n',
  '\nleading newline',
  '  indented\nblock',
  'trailing blanks  \nx',
  'last line blanks\n  ',
  'cr\rreturn',
  'crlf\r\nline',
  'nel\u0085line',
  'ls\u2028line',
  'ps\u2029line',
  'bom\ufeffx',
  'bell\u0007',
  'del\u007f',
  'c1\u0090',
  'ünïcødé ☃ 🚀',
  '{{ .Values.x }}',
  '}} {{',
  'b: evil',
];

describe("YAML text written for Go's reader", () => {
  test('plain only when safe; numbers, booleans, nulls and timestamps are quoted', () => {
    for (const text of [
      '0o17',
      '0b101',
      '0x_1F',
      '1_0',
      '+0o17',
      '1e3',
      '+inf',
      'yes',
      '~',
      '2021-05-01',
      '12:30:45',
      '',
      '.',
      '-.',
      '.e1',
    ]) {
      expect(isPlainSafe(text)).toBe(false);
    }
    for (const text of ['plain', 'nginx:1.27', '50m', '64Mi', '--step=0', 'v1.2.3', '1.2.3']) expect(isPlainSafe(text)).toBe(true);
    expect(readsAsNonString('0x1p3')).toBe(true);
    expect(readsAsNonString('1.2.3')).toBe(false);
    expect(quoteString('ls\u2028line')).toBe('"ls\\Lline"');
    expect(quoteString('nel\u0085line')).toBe('"nel\\Nline"');
  });

  test('multi-line text is a literal block unless a template trim or a special line break could change it', () => {
    expect(literalBlock('a\nb\n')).toEqual({ header: '|', lines: ['a', 'b'] });
    expect(literalBlock('a\nb')).toEqual({ header: '|-', lines: ['a', 'b'] });
    expect(literalBlock('  a\nb')?.header).toBe('|2-');
    expect(literalBlock('a\n\n')).toBeUndefined();
    expect(literalBlock('a  \nb')).toBeDefined();
    expect(literalBlock('a\nb  ')).toBeUndefined();
    expect(literalBlock('a\r\nb')).toBeUndefined();
  });

  test("comments split at every line break Go's reader knows", () => {
    expect(commentLines('a\rb: evil\u2028c\u0085d', '  ')).toEqual(['  # a', '  # b: evil', '  # c', '  # d']);
  });

  Testing.ifHelm(test)(
    "Go's YAML reader (fromYaml under helm) reads every string back unchanged, as a map value and as a list item",
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'helm-synth-yaml-'));
      try {
        const chart = join(dir, 'probe');
        mkdirSync(join(chart, 'templates'), { recursive: true });
        writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: probe\nversion: 1.0.0\n');
        const doc = {
          map: Object.fromEntries(CORPUS.map((text, i) => [`k${i}`, text])),
          list: CORPUS,
          keys: Object.fromEntries(CORPUS.map((text, i) => [text, i])),
        };
        const comments = commentLines(CORPUS.join(' '), '').join('\n');
        writeFileSync(
          join(chart, 'probe.yaml'),
          `${comments}\n${emitTree(jsonNode(doc) as MapNode, { chartName: 'probe', template: false })}`,
        );
        writeFileSync(
          join(chart, 'templates', 'probe.yaml'),
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n  json: {{ .Files.Get "probe.yaml" | fromYaml | toJson | b64enc | quote }}\n',
        );
        const out = Testing.render(chart).text;
        const json = JSON.parse(Buffer.from(JSON.parse(/json: (".*")$/m.exec(out)![1]), 'base64').toString('utf8'));
        expect(json.map).toEqual(doc.map);
        expect(json.list).toEqual(doc.list);
        expect(json.keys).toEqual(doc.keys);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
