import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LockBusyError, OutputIoError } from '../../src';
import { OutputChart, writeOutput } from '../../src/output/output-writer';
import { contentHash, temporaryPath } from '../../src/output/owned-files';
import { NODE_FILE_SYSTEM, OutputFileSystem } from '../../src/output/output-fs';
import { reportMissingTool } from '../support/tools';
import { chart, cleanup, expectedTree, tempFolder, tree, withoutManifest } from './output-fixtures';

afterEach(cleanup);

const OLD = [chart('a', '1'), chart('b', '1'), chart('c', '1', 1)];
const NEW = [chart('a', '2', 3), chart('b', '1'), chart('d', '2')];

function fresh(charts: readonly OutputChart[] = OLD): string {
  const out = join(tempFolder(), 'dist');
  writeOutput(out, charts, { projectDir: join(out, '..') });
  return out;
}

function write(out: string, charts: readonly OutputChart[], fs?: OutputFileSystem) {
  return writeOutput(out, charts, { projectDir: join(out, '..'), fs, lockTimeoutMs: 0 });
}

/** Node's fs with some calls replaced. */
function fsWith(overrides: Partial<OutputFileSystem>): OutputFileSystem {
  return { ...NODE_FILE_SYSTEM, ...overrides };
}

function ioError(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** Files of the output that are not a chart file of either version nor the manifest: temporaries, journal, lock. */
function leftovers(out: string): string[] {
  const known = new Set([...Object.keys(expectedTree(OLD)), ...Object.keys(expectedTree(NEW)), '.helm-synth.json']);
  return Object.keys(tree(out)).filter((p) => !known.has(p));
}

/** Every file the manifest records is present and is the complete old or the complete new version. */
function expectOwnedFilesComplete(out: string): void {
  const manifest = JSON.parse(readFileSync(join(out, '.helm-synth.json'), 'utf8'));
  const versions = [expectedTree(OLD), expectedTree(NEW)];
  const files = tree(out);
  for (const [name, recorded] of Object.entries(manifest.charts as Record<string, Record<string, string>>)) {
    for (const path of Object.keys(recorded)) {
      const content = files[`${name}/${path}`];
      if (content === undefined) continue;
      expect(versions.map((v) => v[`${name}/${path}`])).toContain(content);
    }
  }
  for (const [path, content] of Object.entries(withoutManifest(files))) {
    if (leftovers(out).includes(path)) continue;
    expect(versions.map((v) => v[path])).toContain(content);
  }
}

describe('writeOutput: failures through the fs seam', () => {
  test('a failing rename leaves every file complete, records exactly what was replaced, and the next run finishes', () => {
    const out = fresh();
    let renames = 0;
    const fs = fsWith({
      renameSync: (from, to) => {
        if (to.endsWith('t1.yaml') && ++renames === 1) throw ioError('EBUSY');
        NODE_FILE_SYSTEM.renameSync(from, to);
      },
    });
    expect(() => write(out, NEW, fs)).toThrow(
      new RegExp(
        '^cannot replace .*dist/a/templates/t1\\.yaml: the path is busy .* \\(EBUSY\\); ' +
          '\\d+ of 8 file\\(s\\) were updated, the others keep their previous content; run synth again$',
      ),
    );
    expect(leftovers(out)).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(out, '.helm-synth.json'), 'utf8'));
    for (const [name, recorded] of Object.entries(manifest.charts as Record<string, Record<string, string>>)) {
      for (const [path, hash] of Object.entries(recorded)) expect(contentHash(readFileSync(join(out, name, path)))).toBe(hash);
    }
    expectOwnedFilesComplete(out);
    write(out, NEW);
    expect(withoutManifest(tree(out))).toEqual(expectedTree(NEW));
  });

  test('EACCES while writing the new contents changes nothing and says so', () => {
    const out = fresh();
    const before = tree(out);
    const fs = fsWith({
      writeFileSync: (path, data, options) => {
        if (path.includes('/d/')) throw ioError('EACCES');
        NODE_FILE_SYSTEM.writeFileSync(path, data, options);
      },
    });
    expect(() => write(out, NEW, fs)).toThrow(/^cannot write .*dist\/d\/.*: permission denied \(EACCES\); nothing in .*dist was changed$/);
    expect(tree(out)).toEqual(before);
  });

  test('EACCES creating the output folder is one clear error', () => {
    const root = tempFolder();
    const fs = fsWith({
      mkdirSync: () => {
        throw ioError('EACCES');
      },
    });
    const error = (() => {
      try {
        write(join(root, 'dist'), OLD, fs);
      } catch (e) {
        return e;
      }
    })();
    expect(OutputIoError.isOutputIoError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^cannot create the output folder .*dist: permission denied \(EACCES\)$/);
  });

  test('a run killed after any number of file-system calls leaves complete files, and the next run repairs and finishes', () => {
    let calls = 0;
    const counting = Object.fromEntries(
      Object.entries(NODE_FILE_SYSTEM).map(([k, f]) => [
        k,
        (...args: unknown[]) => {
          calls++;
          return (f as (...a: unknown[]) => unknown)(...args);
        },
      ]),
    ) as unknown as OutputFileSystem;
    write(fresh(), NEW, counting);
    const total = calls;
    expect(total).toBeGreaterThan(40);
    let repaired = 0;
    for (let n = 1; n <= total; n++) {
      const out = fresh();
      expect(() => write(out, NEW, dyingAfter(n))).toThrow('killed');
      expectOwnedFilesComplete(out);
      const hadJournal = existsSync(join(out, '.helm-synth.journal'));
      expect(() => write(out, n % 2 ? NEW : OLD, dyingAfter(1 + ((n * 7) % 30)))).toThrow('killed');
      expectOwnedFilesComplete(out);
      const report = write(out, NEW);
      if (hadJournal || report.recovered.length) repaired++;
      expect(report.recovered.length).toBeLessThanOrEqual(1);
      expect(report.recovered.join('')).toMatch(/^(helm-synth: repaired .*dist after an interrupted synth: .*)?$/);
      expect(tree(out)).toEqual({ ...expectedTree(NEW), '.helm-synth.json': tree(fresh(NEW))['.helm-synth.json'] });
    }
    expect(repaired).toBeGreaterThan(total / 2);
  });

  test('after a crash, a file the run meant to create but did not, and that a user put there, is neither owned nor overwritten', () => {
    const out = fresh();
    let dead = false;
    const fs = Object.fromEntries(
      Object.entries(NODE_FILE_SYSTEM).map(([k, f]) => [
        k,
        (...args: unknown[]) => {
          if (dead || (k === 'renameSync' && String(args[1]).includes('/d/'))) {
            dead = true;
            throw new Error('killed');
          }
          return (f as (...a: unknown[]) => unknown)(...args);
        },
      ]),
    ) as unknown as OutputFileSystem;
    expect(() => write(out, NEW, fs)).toThrow();
    expect(existsSync(join(out, '.helm-synth.journal'))).toBe(true);
    writeFileSync(join(out, 'd', 'values.yaml'), "the user's\n");
    const report = write(out, OLD);
    expect(report.recovered).toHaveLength(1);
    expect(readFileSync(join(out, 'd', 'values.yaml'), 'utf8')).toBe("the user's\n");
    expect(JSON.parse(readFileSync(join(out, '.helm-synth.json'), 'utf8')).charts.d).toBeUndefined();
    expect(() => write(out, NEW)).toThrow(
      /refusing to overwrite what helm-synth did not write: .*d\/values\.yaml \(not written by helm-synth\)/,
    );
  });

  test('a run killed while writing its journal or manifest temporary leaves nothing that a later run without changes keeps', () => {
    const out = fresh();
    writeFileSync(temporaryPath(join(out, '.helm-synth.journal')), '{"vers');
    writeFileSync(temporaryPath(join(out, '.helm-synth.json')), '{"cha');
    expect(leftovers(out)).toHaveLength(2);
    expect(write(out, OLD).charts.every((c) => c.written.length === 0)).toBe(true);
    expect(leftovers(out)).toEqual([]);
  });

  test("220 files per run: written, rewritten, and a stray temporary of helm-synth's name is refused", () => {
    const big = Array.from({ length: 10 }, (_, i) => chart(`c${i}`, '1', 20));
    const out = fresh(big);
    expect(withoutManifest(tree(out))).toEqual(expectedTree(big));
    const bigger = Array.from({ length: 10 }, (_, i) => chart(`c${i}`, '2', 20));
    expect(write(out, bigger).charts.every((c) => c.written.length === 21)).toBe(true);
    expect(withoutManifest(tree(out))).toEqual(expectedTree(bigger));
    mkdirSync(join(out, 'c3', 'templates', '.t5.yaml.helm-synth.tmp'));
    expect(() => write(out, big)).toThrow(/a temporary file of helm-synth's name that no interrupted run recorded/);
  });
});

/** A file system that throws 'killed' from its n-th call on, like a process that died there. */
function dyingAfter(n: number): OutputFileSystem {
  let calls = 0;
  return Object.fromEntries(
    Object.entries(NODE_FILE_SYSTEM).map(([k, f]) => [
      k,
      (...args: unknown[]) => {
        if (++calls >= n) throw new Error('killed');
        return (f as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as OutputFileSystem;
}

describe('writeOutput: one writer at a time', () => {
  function lockWith(out: string, content: string): void {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, '.helm-synth.lock'), content);
  }

  test('a live holder makes the writer wait, then fail naming its pid', async () => {
    const out = fresh();
    const holder = spawn('sleep', ['30']);
    try {
      await new Promise((r) => setTimeout(r, 50));
      const stat = readFileSync(`/proc/${holder.pid}/stat`, 'utf8');
      const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      lockWith(out, JSON.stringify({ pid: holder.pid, processStart: start }));
      const started = Date.now();
      const error = (() => {
        try {
          writeOutput(out, NEW, { projectDir: join(out, '..'), lockTimeoutMs: 300 });
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error).toBeInstanceOf(LockBusyError);
      expect(error?.message).toBe(`another synth (pid ${holder.pid}) is writing ${out}/; try again when it has finished`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(withoutManifest(tree(out))).toEqual({ ...expectedTree(OLD), '.helm-synth.lock': expect.any(String) });
    } finally {
      holder.kill('SIGKILL');
    }
  });

  test.each([
    ['a dead process', () => JSON.stringify({ pid: deadPid() })],
    ['this process id with another start time (PID 1 in a container)', () => JSON.stringify({ pid: process.pid, processStart: '1' })],
    ['a reused pid (same pid, another start time)', () => JSON.stringify({ pid: process.ppid, processStart: '1' })],
  ])('a lock of %s is taken over', (_label, content) => {
    const out = fresh();
    lockWith(out, content());
    write(out, NEW);
    expect(withoutManifest(tree(out))).toEqual(expectedTree(NEW));
  });

  test('an unreadable lock is taken over once it is old', () => {
    const out = fresh();
    lockWith(out, '');
    expect(() => write(out, NEW)).toThrow(/another synth \(pid unknown\)/);
    const old = new Date(Date.now() - 60000);
    utimesSync(join(out, '.helm-synth.lock'), old, old);
    write(out, NEW);
    expect(withoutManifest(tree(out))).toEqual(expectedTree(NEW));
  });
});

function deadPid(): number {
  const child = spawnSync('sh', ['-c', 'echo $$']);
  return Number(child.stdout.toString().trim());
}

/** Runs `body` with a fresh tmpfs of `size` mounted at a temporary folder (root only); skips with a message otherwise. */
function withTmpfs(size: string, body: (mount: string) => void): void {
  if (process.getuid?.() !== 0) {
    reportMissingTool(`mounting a tmpfs needs root: ${size} tmpfs test skipped`);
    return;
  }
  const mount = tempFolder('helm-synth-tmpfs-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mount], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    reportMissingTool(`mount -t tmpfs failed (${mounted.stderr.trim()}): tmpfs test skipped`);
    return;
  }
  try {
    body(mount);
  } finally {
    spawnSync('umount', [mount]);
  }
}

describe('writeOutput: real file-system failures', () => {
  test('a read-only file system is reported as such (not ENOENT), for a new and for an existing output', () => {
    withTmpfs('4m', (mount) => {
      const out = join(mount, 'dist');
      writeOutput(out, OLD, { projectDir: mount });
      const before = tree(out);
      expect(spawnSync('mount', ['-o', 'remount,ro', mount]).status).toBe(0);
      expect(() => writeOutput(out, NEW, { projectDir: mount })).toThrow(
        /^cannot create the lock file .*dist\/\.helm-synth\.lock: the file system is read-only \(EROFS\)$/,
      );
      expect(() => writeOutput(join(mount, 'other'), NEW, { projectDir: mount })).toThrow(
        /^cannot create the output folder .*other: the file system is read-only \(EROFS\)$/,
      );
      expect(tree(out)).toEqual(before);
    });
  });

  test('an output folder that is a mount point is written in place (nothing renames the folder itself)', () => {
    withTmpfs('4m', (mount) => {
      const project = tempFolder();
      writeOutput(mount, OLD, { projectDir: project });
      writeOutput(mount, NEW, { projectDir: project });
      expect(withoutManifest(tree(mount))).toEqual(expectedTree(NEW));
    });
  });

  test('a full disk fails the run with ENOSPC and leaves the previous output as it was, without temporaries', () => {
    withTmpfs('512k', (mount) => {
      const out = join(mount, 'dist');
      writeOutput(out, OLD, { projectDir: mount });
      const before = tree(out);
      const big = Array.from({ length: 100 }, (_, i) => ({ name: `big${i}`, files: new Map([['values.yaml', 'x'.repeat(20000)]]) }));
      expect(() => writeOutput(out, [...OLD, ...big], { projectDir: mount })).toThrow(
        /^cannot write .*dist\/big\d+\/values\.yaml: no space left on the device \(ENOSPC\); nothing in .*dist was changed$/,
      );
      expect(tree(out)).toEqual(before);
    });
  });
});
