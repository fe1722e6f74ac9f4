import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Naming rules of the public API (docs/API.md, "Decisions"), checked on the API reports:
 * `static of(construct)` only in cdk8s's sense, and a construct takes `<Construct>Props`.
 */
const ETC = join(__dirname, '..', '..', 'etc');
const reports = readdirSync(ETC)
  .filter((file) => file.endsWith('.api.md'))
  .map((file) => ({ file, text: readFileSync(join(ETC, file), 'utf8').replace(/\r\n/g, '\n') }));

/** Each class of a report with its member lines (comments kept: `// @deprecated` precedes its member). */
function classes(text: string): Array<{ name: string; members: string[] }> {
  return [...text.matchAll(/^export (?:declare )?(?:abstract )?class (\w+)[^\n]*\{\n([\s\S]*?)^\}/gm)].map((m) => ({
    name: m[1],
    members: m[2].split('\n'),
  }));
}

/** Classes whose `of` gets the one attached to a construct, making it on first use (cdk8s's `Chart.of`, `ApiObject.of`). */
const CDK8S_OF = ['HelmChart', 'Template'];

test('the reports are there', () => {
  expect(reports.map((r) => r.file).sort()).toEqual([
    'helm-synth-postgres.api.md',
    'helm-synth-release.api.md',
    'helm-synth-testing.api.md',
    'helm-synth.api.md',
  ]);
});

test("a static of() is cdk8s's (takes a construct, returns the class) or a deprecated alias", () => {
  const wrong: string[] = [];
  const found: string[] = [];
  for (const { file, text } of reports) {
    for (const { name, members } of classes(text)) {
      members.forEach((line, i) => {
        if (!/^\s+static of\(/.test(line)) return;
        found.push(name);
        const deprecated = members[i - 1]?.trim() === '// @deprecated';
        const cdk8s = CDK8S_OF.includes(name) && line.trim() === `static of(construct: IConstruct): ${name};`;
        if (!deprecated && !cdk8s) wrong.push(`${file}: ${name}: ${line.trim()}`);
      });
    }
  }
  expect(found).toEqual(expect.arrayContaining(['HelmChart', 'Template', 'Hook']));
  expect(wrong).toEqual([]);
});

test('a construct takes <Construct>Props', () => {
  const wrong: string[] = [];
  let constructs = 0;
  for (const { file, text } of reports) {
    for (const { name, members } of classes(text)) {
      for (const line of members) {
        const ctor = /^\s+constructor\(scope: Construct, id: string, props\??: (\w+)\);/.exec(line);
        if (!ctor) continue;
        constructs++;
        if (ctor[1] !== `${name}Props`) wrong.push(`${file}: ${name} takes ${ctor[1]}`);
      }
    }
  }
  expect(constructs).toBeGreaterThan(5);
  expect(wrong).toEqual([]);
});
