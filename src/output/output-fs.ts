import * as fs from 'node:fs';
import { errorCode, OutputIoError } from './output-error';

/**
 * The file-system calls the output writer makes, all synchronous. Tests pass their own to inject
 * faults (a failing rename, EACCES); the default is Node's `fs`.
 */
export interface OutputFileSystem {
  readonly readFileSync: (path: string) => Buffer;
  readonly writeFileSync: (path: string, data: string, options: { flag: string }) => void;
  readonly renameSync: (from: string, to: string) => void;
  readonly unlinkSync: (path: string) => void;
  readonly mkdirSync: (path: string) => void;
  readonly rmdirSync: (path: string) => void;
  readonly statSync: (path: string) => fs.Stats;
  readonly readdirSync: (path: string, options: { withFileTypes: true }) => fs.Dirent[];
  readonly realpathSync: (path: string) => string;
}

/** Node's own file system. */
export const NODE_FILE_SYSTEM: OutputFileSystem = {
  readFileSync: (path) => fs.readFileSync(path),
  writeFileSync: (path, data, options) => fs.writeFileSync(path, data, options),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (path) => fs.unlinkSync(path),
  mkdirSync: (path) => fs.mkdirSync(path),
  rmdirSync: (path) => fs.rmdirSync(path),
  statSync: (path) => fs.statSync(path),
  readdirSync: (path, options) => fs.readdirSync(path, options),
  realpathSync: (path) => fs.realpathSync(path),
};

/** The file system and how paths are shown in messages, shared by the parts of the writer. */
export class OutputDisk {
  constructor(
    /** The file-system calls. */
    public readonly fs: OutputFileSystem,
    /** Renders an absolute path for a message (relative to the working folder when inside it). */
    public readonly show: (path: string) => string,
  ) {}

  /** Runs a call, turning a system error into an OutputIoError naming `action` and `path`. */
  public attempt<T>(action: string, path: string, call: () => T): T {
    try {
      return call();
    } catch (error) {
      if (errorCode(error) === undefined) throw error;
      throw new OutputIoError(action, this.show(path), error);
    }
  }

  /** The content of a file, or undefined when there is none at `path`. */
  public readIfPresent(path: string): Buffer | undefined {
    try {
      return this.fs.readFileSync(path);
    } catch (error) {
      if (isAbsence(error)) return undefined;
      throw new OutputIoError('read', this.show(path), error);
    }
  }

  /** The status of a path (symbolic links followed), or undefined when there is nothing at it. */
  public statIfPresent(path: string): fs.Stats | undefined {
    try {
      return this.fs.statSync(path);
    } catch (error) {
      if (isAbsence(error)) return undefined;
      throw new OutputIoError('inspect', this.show(path), error);
    }
  }

  /** The entries of a folder, or undefined when there is no folder at `path`. */
  public listIfPresent(path: string): fs.Dirent[] | undefined {
    try {
      return this.fs.readdirSync(path, { withFileTypes: true });
    } catch (error) {
      if (isAbsence(error)) return undefined;
      throw new OutputIoError('list', this.show(path), error);
    }
  }

  /** Deletes a file; nothing at `path` is fine. */
  public unlinkIfPresent(path: string): void {
    try {
      this.fs.unlinkSync(path);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw new OutputIoError('delete', this.show(path), error);
    }
  }

  /** Removes a folder if it is empty; returns whether it is gone. */
  public removeIfEmpty(path: string): boolean {
    try {
      this.fs.rmdirSync(path);
      return true;
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') return true;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') return false;
      throw new OutputIoError('remove the folder', this.show(path), error);
    }
  }

  /** Writes a file through a temporary beside it and a rename, so a reader sees the old or the new content. */
  public replaceFile(path: string, temporary: string, content: string): void {
    this.unlinkIfPresent(temporary);
    this.attempt('write', temporary, () => this.fs.writeFileSync(temporary, content, { flag: 'wx' }));
    try {
      this.fs.renameSync(temporary, path);
    } catch (error) {
      this.unlinkIfPresent(temporary);
      throw new OutputIoError('replace', this.show(path), error);
    }
  }
}

function isAbsence(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}
