import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode, OutputIoError } from './output-error';
import { OutputDisk } from './output-fs';
import { isTemporaryName, OutputFileNames, temporaryName } from './owned-files';

/** Who holds the lock of an output folder. */
export interface LockHolder {
  /** Process id of the holder. */
  readonly pid: number;
  /** The holder's start time in clock ticks since boot (Linux `/proc/<pid>/stat`), to tell a reused pid apart. @default undefined elsewhere */
  readonly processStart?: string;
}

/** Settings of an output lock. */
export interface OutputLockOptions {
  /** How long to wait for another synth to finish, in milliseconds. @default 10000 */
  readonly timeoutMs?: number;
  /** How often to look again while waiting, in milliseconds. @default 100 */
  readonly pollMs?: number;
}

/**
 * The lock file of an output folder: one writer at a time. It holds the holder's pid and process
 * start time; a lock whose holder is gone (dead, or the pid now belongs to another process, as
 * happens to PID 1 in containers) is taken over. A second synth waits up to `timeoutMs`, then fails
 * naming the holder.
 *
 * Only the holder of a short-lived takeover lock beside it replaces a stale lock (renaming the
 * takeover lock, which holds its own text, over it after reading it again), so two waiters on a dead
 * holder's lock never both take it over: a waiter never replaces a lock another waiter has just
 * written. A takeover lock whose holder died is moved aside to a name of the waiter's own (a rename
 * is atomic: of several waiters only one moves it) and put back if what was moved turns out to be live.
 */
export class OutputLock {
  /** Takes the lock of `outdir`, waiting for another holder; throws LockBusyError after the timeout. */
  public static acquire(outdir: string, disk: OutputDisk, options: OutputLockOptions = {}): OutputLock {
    const path = join(outdir, OutputFileNames.LOCK);
    const self: LockHolder = { pid: process.pid, processStart: processStart(process.pid) };
    const text = `${JSON.stringify(self)}\n`;
    const deadline = Date.now() + (options.timeoutMs ?? 10000);
    const pollMs = options.pollMs ?? 100;
    for (;;) {
      if (createExclusive(path, text, disk, 'create the lock file')) return new OutputLock(path, disk, text);
      const held = disk.readIfPresent(path)?.toString('utf8');
      if (held === undefined) continue;
      const holder = parseHolder(held);
      if (holder ? !isRunning(holder) : isOld(disk, path)) {
        if (takeOver(path, held, text, disk)) {
          removeLeftBehind(outdir, disk);
          return new OutputLock(path, disk, text);
        }
        sleep(Math.min(pollMs, 5));
        continue;
      }
      if (Date.now() >= deadline) throw new LockBusyError(holder?.pid, disk.show(outdir));
      sleep(pollMs);
    }
  }

  private constructor(
    private readonly path: string,
    private readonly disk: OutputDisk,
    private readonly text: string,
  ) {}

  /** Releases the lock, if it is still ours. */
  public release(): void {
    if (this.disk.readIfPresent(this.path)?.toString('utf8') === this.text) this.disk.unlinkIfPresent(this.path);
  }
}

/** Writes a file only if nothing is at the path; false when something is. */
function createExclusive(path: string, text: string, disk: OutputDisk, action: string): boolean {
  try {
    disk.fs.writeFileSync(path, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw new OutputIoError(action, disk.show(path), error);
    return false;
  }
}

/**
 * Replaces the lock at `path` by our own if it still reads `stale`: holding the takeover lock (which
 * already holds our text) it reads the lock again and renames the takeover lock over it. True when
 * the lock is ours; false when it changed or another waiter holds the takeover lock (a dead one's is
 * moved aside for the next try).
 */
function takeOver(path: string, stale: string, self: string, disk: OutputDisk): boolean {
  const takeover = takeoverPath(path);
  if (!createExclusive(takeover, self, disk, 'create the takeover lock file')) {
    const held = disk.readIfPresent(takeover)?.toString('utf8');
    const holder = held === undefined ? undefined : parseHolder(held);
    if (held !== undefined && (holder ? !isRunning(holder) : isOld(disk, takeover))) moveAside(takeover, held, disk);
    return false;
  }
  if (disk.readIfPresent(path)?.toString('utf8') === stale) {
    disk.attempt('take over the lock file', path, () => disk.fs.renameSync(takeover, path));
    return disk.readIfPresent(path)?.toString('utf8') === self;
  }
  disk.unlinkIfPresent(takeover);
  return false;
}

/**
 * Removes a dead waiter's takeover lock: renamed to a name of this process's own, then read; if what
 * was moved is not what was judged dead (another waiter took the takeover lock meanwhile), it is put
 * back with `wx`.
 */
function moveAside(path: string, dead: string, disk: OutputDisk): void {
  const aside = join(dirname(path), temporaryName(`${basename(path)}${ASIDE_INFIX}${process.pid}-${randomBytes(6).toString('hex')}`));
  try {
    disk.fs.renameSync(path, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw new OutputIoError('move a dead takeover lock file aside', disk.show(path), error);
  }
  const moved = disk.readIfPresent(aside)?.toString('utf8');
  if (moved !== undefined && moved !== dead) createExclusive(path, moved, disk, 'put back the takeover lock file');
  disk.unlinkIfPresent(aside);
}

const TAKEOVER_SUFFIX = '.takeover';

/** The takeover lock beside a lock: only its holder may replace a stale lock. */
function takeoverPath(lock: string): string {
  return join(dirname(lock), temporaryName(`${basename(lock)}${TAKEOVER_SUFFIX}`));
}

const ASIDE_INFIX = '.dead-';

/** Takeover locks moved aside by waiters that died before removing them (the pid in the name is not running); looked for after a takeover. */
function removeLeftBehind(outdir: string, disk: OutputDisk): void {
  const [prefix] = temporaryName(`${OutputFileNames.LOCK}${TAKEOVER_SUFFIX}${ASIDE_INFIX}\u0000`).split('\u0000');
  for (const entry of disk.listIfPresent(outdir) ?? []) {
    const pid = /^(\d+)-/.exec(entry.name.slice(prefix.length))?.[1];
    if (entry.name.startsWith(prefix) && isTemporaryName(entry.name) && pid && !isRunning({ pid: Number(pid) }))
      disk.unlinkIfPresent(join(outdir, entry.name));
  }
}

const LOCK_BUSY_ERROR_BRAND = Symbol.for('helm-synth.LockBusyError');

/** Another synth holds the lock of the output folder. */
export class LockBusyError extends Error {
  /** True for a LockBusyError of any copy of the library (a brand check, not `instanceof`). */
  public static isLockBusyError(x: unknown): x is LockBusyError {
    return typeof x === 'object' && x !== null && LOCK_BUSY_ERROR_BRAND in x;
  }

  constructor(pid: number | undefined, outdir: string) {
    super(`another synth (${pid === undefined ? 'pid unknown' : `pid ${pid}`}) is writing ${outdir}/; try again when it has finished`);
    Object.defineProperty(this, LOCK_BUSY_ERROR_BRAND, { value: true });
    this.name = 'LockBusyError';
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const doc = JSON.parse(text) as { pid?: unknown; processStart?: unknown };
    if (!Number.isInteger(doc.pid) || (doc.processStart !== undefined && typeof doc.processStart !== 'string')) return undefined;
    return { pid: doc.pid as number, processStart: doc.processStart as string | undefined };
  } catch {
    return undefined;
  }
}

function isRunning(holder: LockHolder): boolean {
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if (errorCode(error) !== 'EPERM') return false;
  }
  const start = processStart(holder.pid);
  return holder.processStart === undefined || start === undefined || start === holder.processStart;
}

/** A lock file whose content cannot be read as a holder: taken over once it is older than a writer needs to fill it. */
function isOld(disk: OutputDisk, path: string): boolean {
  const stat = disk.statIfPresent(path);
  return stat !== undefined && Date.now() - stat.mtimeMs > 2000;
}

function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
