import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Naming rules of the public API (docs/API.md, "Decisions"), checked on the API reports:
 * `static of(construct)` only in cdk8s's sense, a construct takes `<Construct>Props`, a method or
 * function `<Method>Options`, and a struct that is neither is named for what it is (no suffix).
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

/** The position of the bracket that encloses `index` in `text` (ignoring `<>`, whose `=>` would mislead), or -1. */
function enclosingBracket(text: string, index: number): number {
  const closed: string[] = [];
  for (let i = index - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ')' || c === '}' || c === ']') closed.push(c);
    else if (c === '(' || c === '{' || c === '[') {
      if (closed.length === 0) return i;
      closed.pop();
    }
  }
  return -1;
}

/** How the reports use a type: as a constructor's or a method's parameter, inside a struct, or as the base of another type. */
function usesOf(name: string, text: string): { constructors: number; methods: number; nested: number; bases: string[] } {
  const uses = { constructors: 0, methods: 0, nested: 0, bases: [] as string[] };
  for (const match of text.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
    const start = text.lastIndexOf('\n', match.index) + 1;
    const line = text.slice(start, text.indexOf('\n', match.index));
    const declaration = /^export (?:declare )?(?:interface|type) (\w+)/.exec(line);
    if (declaration?.[1] === name) continue;
    if (declaration && !line.includes('(')) {
      uses.bases.push(declaration[1]);
      continue;
    }
    const bracket = enclosingBracket(text, match.index);
    if (bracket < 0 || text[bracket] !== '(') uses.nested++;
    else if (/\bconstructor\s*$/.test(text.slice(0, bracket))) uses.constructors++;
    else uses.methods++;
  }
  return uses;
}

test("Props are a construct's settings, Options a method's, other structs are named for what they are", () => {
  const text = reports.map((r) => r.text).join('\n');
  const constructs = new Set([...text.matchAll(/^export (?:declare )?(?:abstract )?class (\w+)(?:<.*>)? extends /gm)].map((m) => m[1]));
  const types = [...text.matchAll(/^(\/\/ [^\n]*\n)?export (?:declare )?(?:interface|type) (\w+?(Props|Options))\b/gm)].map((m) => ({
    name: m[2],
    suffix: m[3],
    deprecated: /@deprecated/.test(m[1] ?? ''),
  }));
  /** `type X = A | B` where every member is named with the suffix (a union of options). */
  const unionOf = (name: string, suffix: string): boolean => {
    const alias = new RegExp(`^export (?:declare )?type ${name} = ([^;]+);`, 'm').exec(text);
    return !!alias && alias[1].split('|').every((member) => new RegExp(`^\\w+${suffix}\\b`).test(member.trim()));
  };
  const check = (name: string, suffix: string, seen: string[] = []): string | undefined => {
    const uses = usesOf(name, text);
    const bases = uses.bases.filter((base) => base.endsWith(suffix) && !seen.includes(base));
    const baseOfValid = unionOf(name, suffix) || bases.some((base) => check(base, suffix, [...seen, name]) === undefined);
    if (suffix === 'Props') {
      const construct = name.slice(0, -'Props'.length);
      if (uses.methods > 0 && !constructs.has(construct)) return `${name} is taken by a method: name it ...Options`;
      if (!constructs.has(construct) && !baseOfValid)
        return `${name} is no construct's settings (${construct} is none) nor the base of such`;
    } else {
      if (uses.constructors > 0) return `${name} is taken by a constructor: name it <Class>Props`;
      if (uses.methods === 0 && !baseOfValid) return `${name} is taken by no method or function: name the struct for what it is`;
    }
    return undefined;
  };
  const wrong = [...new Set(types.filter((t) => !t.deprecated).flatMap((t) => check(t.name, t.suffix) ?? []))];
  expect(types.length).toBeGreaterThan(25);
  expect(wrong).toEqual([]);
  expect(types.filter((t) => t.deprecated).map((t) => t.name)).toEqual(expect.arrayContaining(['HookProps', 'ChartInstallProps']));
});

test('every construct of the reports has its <Construct>Props exported (or takes no props)', () => {
  const text = reports.map((r) => r.text).join('\n');
  const missing: string[] = [];
  for (const match of text.matchAll(/constructor\(scope: Construct, id: string, props\??: (\w+)\)/g))
    if (!new RegExp(`^export (?:declare )?(?:interface|type) ${match[1]}\\b`, 'm').test(text)) missing.push(match[1]);
  expect(missing).toEqual([]);
});
