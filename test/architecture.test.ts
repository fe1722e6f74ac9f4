import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layers of src/, bottom first (docs/ARCHITECTURE.md): a file imports only from its own folder,
 * from errors.ts, or from folders of a lower rank. Folders of one rank do not import each other.
 */
const RANKS: Readonly<Record<string, number>> = {
  policy: 0,
  output: 0,
  helm: 0,
  tokens: 1,
  values: 2,
  chart: 3,
  hooks: 4,
  workloads: 5,
  postgres: 5,
  plan: 6,
  synth: 7,
  release: 8,
  testing: 9,
  cli: 10,
};

const SRC = join(__dirname, '..', 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a file (static `import ... from`, `export ... from`, and `require('...')`), resolved to files. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|require\(|import\()\s*'(\.[^']+)'/g)].map((m) => m[1]);
  return specifiers.map((s) => {
    const base = resolve(dirname(file), s);
    for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // try the next form
      }
    }
    return `${base}.ts`;
  });
}

function folderOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? parts[0] : parts[0];
}

describe('src/ layers', () => {
  const files = tsFiles(SRC);
  const graph = new Map(files.map((f) => [f, imports(f)]));

  test('every folder has a rank', () => {
    const folders = new Set(files.map(folderOf).filter((f) => !f.endsWith('.ts')));
    expect([...folders].filter((f) => RANKS[f] === undefined)).toEqual([]);
  });

  test('imports run downward only', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      if (from.endsWith('.ts')) continue;
      for (const target of targets) {
        const to = folderOf(target);
        if (to === 'errors.ts' || to === from) continue;
        if (to.endsWith('.ts') || !(RANKS[to] < RANKS[from])) upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  test('no import cycles between files', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, stack: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) if (graph.has(target)) visit(target, [...stack, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});

/** A file's code without comments (block comments, and line comments starting a line or after a space). */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** The rows of docs/ARCHITECTURE.md's table of `Symbol.for` keys: key, module (relative to src/), where it is kept. */
function documentedSlots(): Array<{ key: string; module: string; keptOn: string }> {
  const text = readFileSync(join(__dirname, '..', 'docs', 'ARCHITECTURE.md'), 'utf8');
  return [...text.matchAll(/^\| `((?:helm-synth|jsii)\.[^`]+)` \| `([^`]+)` \| ([^|]+?) \|/gm)].map((m) => ({
    key: m[1],
    module: m[2],
    keptOn: m[3],
  }));
}

/** Modules that may read `process.env` (docs/ARCHITECTURE.md, "State"). */
const ENV_READERS = [/^cli\//, /^testing\//, /^helm\/helm-runner\.ts$/, /^synth\/app-settings\.ts$/, /^release\/repository-index\.ts$/];
/** Modules that use `globalThis` for something other than a slot of the table: jest's own globals. */
const OTHER_GLOBAL_READERS = ['testing/jest-globals.ts'];

/** Declarations of static state: a static field that is not readonly, a static accessor or block, a readonly static holding a collection. */
const STATIC_STATE = [
  /\bstatic\s+(?!readonly\b|async\b|get\b|set\b)[#\w$]+\s*[?!]?\s*[:=;]/,
  /\bstatic\s+(?:get|set)\s+[#\w$]+\s*\(/,
  /\bstatic\s*\{/,
  /\bstatic\s+readonly\s+[#\w$]+\s*(?::[^=;]+)?=\s*(?:new\s+(?:Map|Set|WeakMap|WeakSet|Array)\b|\[|\{)/,
];

describe('src/ state (docs/ARCHITECTURE.md, "State")', () => {
  const files = tsFiles(SRC).map((file) => ({ module: relative(SRC, file), text: code(file) }));

  test('process.env is read only in the CLI, testing, the Helm runner, SOURCE_DATE_EPOCH handling and app-settings.ts', () => {
    const readers = files.filter((f) => /\bprocess\.env\b/.test(f.text)).map((f) => f.module);
    expect(readers.filter((module) => !ENV_READERS.some((allowed) => allowed.test(module)))).toEqual([]);
    expect(readers).toContain('synth/app-settings.ts');
  });

  test('no static mutable state', () => {
    const samples = [
      'static count = 0;',
      'private static cache: Map<string, number>;',
      'public static get all(): X[] {',
      'static readonly BY_NAME = new Map();',
      'static {',
    ];
    for (const sample of samples) expect(STATIC_STATE.some((pattern) => pattern.test(sample))).toBe(true);
    for (const sample of [
      'static readonly NONE = new RepositoryMirrors(new Map());',
      'public static of(x: IConstruct): T {',
      'static async load(): Promise<void> {',
    ])
      expect(STATIC_STATE.some((pattern) => pattern.test(sample))).toBe(false);
    const found = files.flatMap((f) =>
      f.text
        .split('\n')
        .filter((line) => STATIC_STATE.some((pattern) => pattern.test(line)))
        .map((line) => `${f.module}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });

  test('every Symbol.for key is in the documented table, with its module, and every row is used', () => {
    const used = files.flatMap((f) => [...f.text.matchAll(/Symbol\.for\(\s*'([^']+)'\s*\)/g)].map((m) => `${m[1]} in ${f.module}`)).sort();
    expect(files.filter((f) => /Symbol\.for\(\s*[^'\s]/.test(f.text)).map((f) => f.module)).toEqual([]);
    const documented = documentedSlots();
    expect(documented.length).toBeGreaterThan(0);
    expect(used).toEqual(documented.map((slot) => `${slot.key} in ${slot.module}`).sort());
  });

  test('globalThis only in the modules holding a documented global slot', () => {
    const holders = documentedSlots()
      .filter((slot) => slot.keptOn === '`globalThis`')
      .map((slot) => slot.module);
    expect(holders).toContain('synth/app-settings.ts');
    const users = files.filter((f) => /\bglobalThis\b/.test(f.text)).map((f) => f.module);
    expect(users.filter((module) => !holders.includes(module) && !OTHER_GLOBAL_READERS.includes(module))).toEqual([]);
  });
});

/**
 * Tokens are parsed once (issue 17): the marker format lives in src/tokens/ alone, and in synthesis
 * only collection and tree building read markers; every later pass (emission, chart files, NOTES.txt,
 * README.md, values files) works on typed nodes and token objects.
 */
describe('markers are read in one module', () => {
  const files = tsFiles(SRC);
  const source = new Map(files.map((f) => [relative(SRC, f), readFileSync(f, 'utf8')]));
  /** The modules of synthesis that turn markers into typed nodes: collection and tree building. */
  const READING_MODULES = ['synth/collect.ts', 'synth/build-tree.ts', 'synth/apply-override.ts', 'synth/hook-dependencies.ts'];
  /** What reads marker text or numbers (everything else of tokens/token.ts works on token objects). */
  const MARKER_READERS = [
    'splitTokens',
    'wholeToken',
    'hasToken',
    'classifyNumber',
    'describeText',
    'readableText',
    'literalIdText',
    'isDanglingToken',
    'PRINTED_HUGE_NUMBER',
  ];
  const importedFromToken = (text: string): string[] =>
    [...text.matchAll(/import\s*{([^}]*)}\s*from\s*'(?:\.\.\/tokens|\.)\/token'/g)].flatMap((m) =>
      m[1]
        .split(',')
        .map((name) => name.trim().split(/\s+as\s+/)[0])
        .filter(Boolean),
    );

  test('the marker format (prefix, number tag, printed number) is written only in src/tokens/', () => {
    const leaks = [...source]
      .filter(([file]) => !file.startsWith('tokens/'))
      .filter(([, text]) => /helmsynth|e\\?\+289|0x7bff/.test(text.toLowerCase().replace(/helm-?synth[a-z]/g, '')))
      .map(([file]) => file);
    expect(leaks).toEqual([]);
  });

  test('splitTokens, the marker parser, is called only by tokens/ and by collection and tree building', () => {
    const callers = [...source].filter(([file, text]) => !file.startsWith('tokens/') && /\bsplitTokens\b/.test(text)).map(([file]) => file);
    expect(callers.filter((file) => !READING_MODULES.includes(file))).toEqual([]);
  });

  test('after tree building no synthesis pass reads marker text', () => {
    const readers = [...source]
      .filter(([file]) => file.startsWith('synth/') && !READING_MODULES.includes(file))
      .flatMap(([file, text]) => [
        ...importedFromToken(text)
          .filter((name) => MARKER_READERS.includes(name))
          .map((name) => `${file} imports ${name}`),
        ...(/\.marker\b/.test(text) ? [`${file} reads .marker`] : []),
      ]);
    expect(readers).toEqual([]);
  });
});

/**
 * The walk of `image.tag` in docs/ARCHITECTURE.md (issue 17: at most 6 files, and true): every
 * function it names is defined in a file of the walk, each step is linked to the next by an import
 * (or both are called by the driver, synth/chart-files.ts), and the template text it ends with is
 * what the web-app example chart holds.
 */
describe('the path of a value in docs/ARCHITECTURE.md', () => {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'ARCHITECTURE.md'), 'utf8');
  const walk = /<!-- value-walk -->\n([\s\S]*?)<!-- \/value-walk -->/.exec(doc)?.[1] ?? '';
  const steps = walk
    .split(/\n(?=\d+\. )/)
    .filter((step) => /^\d+\. /.test(step))
    .map((step) => ({ file: join(SRC, /^\d+\. `src\/([^`]+)`/.exec(step)![1]), text: step }));
  const DRIVER = join(SRC, 'synth', 'chart-files.ts');

  test('walks through at most 6 files that exist', () => {
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.length).toBeLessThanOrEqual(6);
    for (const step of steps) expect(statSync(step.file).isFile()).toBe(true);
  });

  test('every function it names is defined in a file of the walk', () => {
    const sources = steps.map((step) => readFileSync(step.file, 'utf8')).join('\n');
    const names = steps.flatMap((step) => [...step.text.matchAll(/`(\w+)\(\)`/g)].map((m) => m[1]));
    expect(names.length).toBeGreaterThanOrEqual(steps.length);
    const missing = names.filter(
      (name) =>
        !new RegExp(`(?:function\\s+${name}\\b|^\\s*(?:(?:public|private|protected|static|get)\\s+)*${name}\\s*\\()`, 'm').test(sources),
    );
    expect(missing).toEqual([]);
  });

  test('each step is linked to the next by an import, or both are called by the driver', () => {
    const imported = (from: string, to: string): boolean => imports(from).includes(to);
    const unlinked = steps.slice(1).flatMap((step, i) => {
      const before = steps[i].file;
      const linked =
        imported(step.file, before) || imported(before, step.file) || (imported(DRIVER, before) && imported(DRIVER, step.file));
      return linked ? [] : [`${relative(SRC, before)} -> ${relative(SRC, step.file)}`];
    });
    expect(unlinked).toEqual([]);
  });

  test('ends with the template text the web-app example holds', () => {
    const last = steps[steps.length - 1].text.replace(/\s+/g, ' ');
    const text = /`(image: \{\{[^`]+\}\})`/.exec(last)![1];
    expect(readFileSync(join(__dirname, 'charts', '__snapshots__', 'web-app.test.ts.snap'), 'utf8')).toContain(text);
  });
});
