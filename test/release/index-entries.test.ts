import { buildIndex, indexEntriesOf, parseIndex, renderIndex } from '../../src/release/internal';

/** Deterministic generated cases (no dependency on a property-testing library). */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => (state = (state * 1103515245 + 12345) % 2147483648) % n;
}

const NAMES = ['pg', 'pg-ha', 'postgresql', 'a.b', 'entries', 'generated', 'apiVersion', 'x_1'];
const AWKWARD = [
  'plain',
  'two\nlines',
  '  pg:\n',
  'key: value',
  '# not a comment',
  '- item',
  "'quoted'",
  '"dq"',
  'ü ☃',
  '',
  'entries:\n  pg:\n  - version: 9.9.9',
  '\n\n',
];

describe('indexEntriesOf: one chart of a large index without parsing all of it', () => {
  test('generated indexes: the versions of every name (and of names not listed) are what the whole parse gives', () => {
    const next = random(7);
    for (let run = 0; run < 150; run++) {
      const entries = Array.from({ length: 1 + next(12) }, () => ({
        name: NAMES[next(NAMES.length)],
        version: `${next(3)}.${next(3)}.${next(3)}`,
        description: AWKWARD[next(AWKWARD.length)],
        annotations: next(2) ? { note: AWKWARD[next(AWKWARD.length)], 'x/y': AWKWARD[next(AWKWARD.length)] } : undefined,
        urls: [`c-${next(100)}.tgz`],
        digest: 'a'.repeat(64),
        created: '2024-01-01T00:00:00Z',
      }));
      const text = renderIndex(buildIndex(entries, '2024-01-01T00:00:00Z', next(3) === 0 ? { serverInfo: { pg: { a: 1 } } } : undefined));
      const whole = parseIndex(text, 'index.yaml');
      for (const name of [...NAMES, 'missing']) expect(indexEntriesOf(text, name, 'index.yaml')).toEqual(whole.entries[name] ?? []);
    }
  });

  test('an index in another layout (flow style, quoted keys) is read whole', () => {
    const text = 'apiVersion: v1\nentries: {"pg": [{version: 1.0.0, urls: [a.tgz]}]}\ngenerated: "2024-01-01T00:00:00Z"\n';
    expect(indexEntriesOf(text, 'pg', 'index.yaml')).toEqual([{ name: 'pg', version: '1.0.0', urls: ['a.tgz'] }]);
  });
});
