import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file complete or not at all: a temporary file renamed over it. The temporary goes in
 * `temporaryDir` (same file system; default: beside the file), so a killed process never leaves
 * a partial file where a reader looks, such as a chart's `charts/` folder.
 */
export function writeFileAtomically(file: string, data: Buffer, temporaryDir = dirname(file)): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = join(temporaryDir, `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
