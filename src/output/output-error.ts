const BRAND = Symbol.for('helm-synth.OutputIoError');

const CAUSES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EBUSY: 'the path is busy (a mount point, or in use by another program)',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'the path is a folder, not a file',
  EEXIST: 'the path already exists',
  ENOENT: 'the path does not exist',
  ENOTEMPTY: 'the folder is not empty',
  EXDEV: 'the paths are on different file systems',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'an input/output error of the device',
  EINVAL: 'the operation is invalid for this path',
};

/**
 * A file-system operation of the output writer failed. The message is one line naming the action,
 * the path and the cause in words, e.g. `cannot write dist/web/values.yaml: the file system is
 * read-only (EROFS)`.
 */
export class OutputIoError extends Error {
  /** Whether `x` is an OutputIoError of any loaded copy of helm-synth. */
  public static isOutputIoError(x: unknown): x is OutputIoError {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
  }

  /** The path the operation failed on, as shown in the message. */
  public readonly path: string;
  /** The system error code, e.g. `EROFS`; `UNKNOWN` when the cause carried none. */
  public readonly code: string;

  /**
   * @param action what failed, as a verb phrase (`write`, `create the folder`)
   * @param path the path, as shown to the user
   * @param cause the system error
   * @param outcome what state the output is left in, e.g. `nothing was changed`
   */
  constructor(action: string, path: string, cause: unknown, outcome?: string) {
    const code = errorCode(cause) ?? 'UNKNOWN';
    const words = CAUSES[code] ?? (cause instanceof Error ? cause.message : String(cause));
    super(`cannot ${action} ${path}: ${words}${code === 'UNKNOWN' ? '' : ` (${code})`}${outcome ? `; ${outcome}` : ''}`);
    this.name = 'OutputIoError';
    this.path = path;
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** The `code` of a Node.js system error (`ENOENT`, `EROFS`, ...), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
