import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode, OutputIoError } from './output-error';
import { OutputDisk } from './output-fs';
import { OutputFileNames, temporaryName } from './owned-files';

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
 */
export class OutputLock {
  /** Takes the lock of `outdir`, waiting for another holder; throws LockBusyError after the timeout. */
  public static acquire(outdir: string, disk: OutputDisk, options: OutputLockOptions = {}): OutputLock {
    const path = join(outdir, OutputFileNames.LOCK);
    const self: LockHolder = { pid: process.pid, processStart: processStart(process.pid) };
    const text = `${JSON.stringify(self)}\n`;
    const deadline = Date.now() + (options.timeoutMs ?? 10000);
    for (;;) {
      try {
        disk.fs.writeFileSync(path, text, { flag: 'wx' });
        return new OutputLock(path, disk, text);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw new OutputIoError('create the lock file', disk.show(path), error);
      }
      const held = disk.readIfPresent(path)?.toString('utf8');
      if (held === undefined) continue;
      const holder = parseHolder(held);
      if (holder ? !isRunning(holder) : isOld(disk, path)) {
        removeStale(path, held, disk);
        continue;
      }
      if (Date.now() >= deadline) throw new LockBusyError(holder?.pid, disk.show(outdir));
      sleep(options.pollMs ?? 100);
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

/**
 * Removes a stale lock so that exactly one waiter can take over: the lock is renamed to a name of
 * this process's own (a rename is atomic, so of several waiters that saw the same stale lock only
 * one moves it), and what was moved is read again. If it is not the stale lock (another waiter
 * already took over and wrote its own), it is written back with `wx`, so the live holder keeps it.
 */
function removeStale(path: string, stale: string, disk: OutputDisk): void {
  const aside = join(dirname(path), temporaryName(`${basename(path)}.stale-${process.pid}-${randomBytes(6).toString('hex')}`));
  try {
    disk.fs.renameSync(path, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw new OutputIoError('move the stale lock file aside', disk.show(path), error);
  }
  const moved = disk.readIfPresent(aside)?.toString('utf8');
  if (moved !== undefined && moved !== stale) {
    try {
      disk.fs.writeFileSync(path, moved, { flag: 'wx' });
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw new OutputIoError('put back the lock file', disk.show(path), error);
    }
  }
  disk.unlinkIfPresent(aside);
}

/** Another synth holds the lock of the output folder. */
export class LockBusyError extends Error {
  constructor(pid: number | undefined, outdir: string) {
    super(`another synth (${pid === undefined ? 'pid unknown' : `pid ${pid}`}) is writing ${outdir}/; try again when it has finished`);
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
