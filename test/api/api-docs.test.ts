import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * docs/API.md lists every export of every entry point. The exports are read from the API reports
 * (etc/<entry>.api.md), which `npm run api:check` keeps equal to what the entry points export.
 */
const ROOT = join(__dirname, '..', '..');
const ENTRY_POINTS: Record<string, string> = {
  'helm-synth': 'helm-synth.api.md',
  'helm-synth/postgres': 'helm-synth-postgres.api.md',
  'helm-synth/release': 'helm-synth-release.api.md',
  'helm-synth/testing': 'helm-synth-testing.api.md',
};
const KINDS = new Set(['construct', 'props', 'class', 'helper', 'error', 'type', 'enum', 'constant']);

/** Names an API report declares as exports. */
function reportExports(file: string): string[] {
  const text = readFileSync(join(ROOT, 'etc', file), 'utf8');
  return [...text.matchAll(/^export (?:declare )?(?:abstract )?(?:class|interface|type|function|const|let|enum|namespace) (\w+)/gm)].map(
    (m) => m[1],
  );
}

/** The rows of docs/API.md by entry point (its `## <entry point>` section): name, kind, why. */
function documented(): Map<string, Array<{ name: string; kind: string; why: string }>> {
  const sections = new Map<string, Array<{ name: string; kind: string; why: string }>>();
  let current: Array<{ name: string; kind: string; why: string }> | undefined;
  for (const line of readFileSync(join(ROOT, 'docs', 'API.md'), 'utf8').split('\n')) {
    const heading = /^## (\S+)$/.exec(line);
    if (heading) {
      current = heading[1] in ENTRY_POINTS ? [] : undefined;
      if (current) sections.set(heading[1], current);
      continue;
    }
    const row = /^\| `(\w+)` \| ([^|]+) \| ([^|]*) \|$/.exec(line);
    if (row && current) current.push({ name: row[1], kind: row[2].trim(), why: row[3].trim() });
  }
  return sections;
}

describe.each(Object.entries(ENTRY_POINTS))('%s', (entry, report) => {
  const exports = reportExports(report);
  const rows = documented().get(entry) ?? [];

  test('its API report lists exports', () => {
    expect(exports.length).toBeGreaterThan(10);
  });

  test('every export has a row in docs/API.md', () => {
    const names = new Set(rows.map((r) => r.name));
    expect(exports.filter((name) => !names.has(name))).toEqual([]);
  });

  test('every row names an export, once, with a kind and a reason', () => {
    const exported = new Set(exports);
    expect(rows.filter((r) => !exported.has(r.name)).map((r) => r.name)).toEqual([]);
    expect(rows.map((r) => r.name).filter((name, i, all) => all.indexOf(name) !== i)).toEqual([]);
    expect(rows.filter((r) => !KINDS.has(r.kind) || r.why.length < 10)).toEqual([]);
  });
});
