import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { emitTree } from '../../src/synth/emit-template';
import { jsonNode, MapNode } from '../../src/synth/template-tree';
import { Testing } from '../../src/testing';

// Why values.yaml, Chart.yaml and crds/ are written by helm-synth's own YAML writer and not by the
// `yaml` library (docs/ARCHITECTURE.md, "YAML writers"): for these strings the library writes text
// Go's YAML reader reads as something else, under either YAML version it is given. Should a later
// version of the library write them safely, these tests fail and the choice can be made again.

/** A string, the YAML version given to the library, and what the library writes (raw line breaks, plain numbers). */
const CASES: ReadonlyArray<readonly [string, '1.1' | '1.2', string]> = [
  ['a\u2028b', '1.1', 'k: a\u2028b\n'],
  ['a\u2029b', '1.2', 'k: a\u2029b\n'],
  ['a\u0085b', '1.1', 'k: "a\u0085b"\n'],
  ['0o17', '1.1', 'k: 0o17\n'],
  ['1_0', '1.2', 'k: 1_0\n'],
];

const written = (text: string, version: '1.1' | '1.2'): string => stringify({ k: text }, { version, lineWidth: 0 });

/** Reads YAML documents with Go's reader (`.Files.Get | fromYaml` under helm or helm-oracle): each as JSON, or the error. */
function goRead(documents: readonly string[]): unknown[] {
  const dir = mkdtempSync(join(tmpdir(), 'helm-synth-yaml-writers-'));
  try {
    const chart = join(dir, 'probe');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: probe\nversion: 1.0.0\n');
    documents.forEach((text, i) => writeFileSync(join(chart, `doc${i}.yaml`), text));
    const data = documents.map((_, i) => `  d${i}: {{ .Files.Get "doc${i}.yaml" | fromYaml | toJson | b64enc | quote }}`).join('\n');
    writeFileSync(join(chart, 'templates', 'probe.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n${data}\n`);
    const out = Testing.render(chart).text;
    return documents.map((_, i) => {
      const encoded = new RegExp(`d${i}: (".*")$`, 'm').exec(out)![1];
      return JSON.parse(Buffer.from(JSON.parse(encoded), 'base64').toString('utf8'));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the yaml library as a writer for Go', () => {
  test('writes line breaks raw and Go-only number forms plain', () => {
    for (const [text, version, expected] of CASES) expect(written(text, version)).toBe(expected);
  });

  Testing.ifHelm(test)("Go's reader reads what it writes as something else; helm-synth's writer round-trips", () => {
    const library = goRead(CASES.map(([text, version]) => written(text, version)));
    const ours = goRead(CASES.map(([text]) => emitTree(jsonNode({ k: text }) as MapNode, { chartName: 'probe', template: false })));
    CASES.forEach(([text], i) => {
      expect(library[i]).not.toEqual({ k: text });
      expect(ours[i]).toEqual({ k: text });
    });
  });
});
