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
