import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileOp, runFileOps } from '../../src/output/file-ops';
import { cleanup, tempFolder } from './output-fixtures';

afterEach(cleanup);

function ops(dir: string, count: number): FileOp[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'write', path: join(dir, `f${i}`), content: `${i}\n` }));
}

describe('runFileOps', () => {
  test('one at a time, then the rest on a worker thread: every op done once, indexes merged per wave', () => {
    const dir = tempFolder();
    const waves: FileOp[][] = [
      [
        { kind: 'mkdir', path: join(dir, 'sub') },
        { kind: 'mkdir', path: dir },
      ],
      ops(join(dir, 'sub'), 400),
    ];
    const outcome = runFileOps(waves, undefined, { offloadMs: 0 });
    expect(outcome.failure).toBeUndefined();
    expect(outcome.done[0]).toEqual([0]);
    expect(outcome.done[1]).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(readFileSync(join(dir, 'sub', 'f399'), 'utf8')).toBe('399\n');
  });

  test("a failure on the worker thread names the op in the caller's numbering; no later wave runs", () => {
    const dir = tempFolder();
    mkdirSync(join(dir, 'sub'));
    const writes = ops(join(dir, 'sub'), 400);
    writes[300] = { kind: 'write', path: join(dir, 'missing', 'f300'), content: '' };
    const outcome = runFileOps([writes, [{ kind: 'mkdir', path: join(dir, 'later') }]], undefined, { offloadMs: 0 });
    expect(outcome.failure).toMatchObject({ wave: 0, index: 300, error: { code: 'ENOENT' } });
    expect(outcome.done[0]).toEqual(expect.arrayContaining(Array.from({ length: 128 }, (_, i) => i)));
    expect(outcome.done[0]).not.toContain(300);
    for (const i of outcome.done[0]) expect(existsSync(join(dir, 'sub', `f${i}`))).toBe(true);
    expect(existsSync(join(dir, 'later'))).toBe(false);
  });

  test('a failure one at a time stops there', () => {
    const dir = tempFolder();
    const outcome = runFileOps([
      [...ops(dir, 3), { kind: 'rename', from: join(dir, 'nope'), path: join(dir, 'x') }, ...ops(join(dir, 'b'), 1)],
    ]);
    expect(outcome.failure).toMatchObject({ wave: 0, index: 3, error: { code: 'ENOENT' } });
    expect(outcome.done).toEqual([[0, 1, 2]]);
  });
});
