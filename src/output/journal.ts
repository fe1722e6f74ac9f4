import { dirname, join } from 'node:path';
import { OutputDisk } from './output-fs';
import {
  contentHash,
  copyOwned,
  isSafeRelativePath,
  isSafeSegment,
  OutputFileNames,
  OwnedFiles,
  setOwned,
  temporaryPath,
} from './owned-files';

/** One file a run is about to write: the hash of its new content, and of its recorded content when the writer owned it before. */
export interface JournalWrite {
  readonly chart: string;
  readonly path: string;
  readonly hash: string;
  /** @default undefined: the writer did not own the path before this run */
  readonly previousHash?: string;
}

/** One owned file a run is about to remove, with its recorded hash. */
export interface JournalRemove {
  readonly chart: string;
  readonly path: string;
  readonly hash: string;
}

/**
 * The intent of a run, written (atomically) before the first chart file is touched and removed
 * after the manifest is updated. Finding one means a run stopped half-way: it names every path
 * that run may have written or removed, so the next run knows which files are its own.
 */
export interface Journal {
  readonly writes: readonly JournalWrite[];
  readonly removes: readonly JournalRemove[];
}

/** The journal text (deterministic, like everything the writer writes). */
export function renderJournal(journal: Journal): string {
  return `${JSON.stringify({ version: 1, writes: journal.writes, removes: journal.removes })}\n`;
}

/**
 * Reads a journal text back.
 *
 * @returns the journal, or a reason the text is not one
 */
export function parseJournal(text: string): Journal | string {
  let doc: { version?: unknown; writes?: unknown; removes?: unknown };
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (typeof doc !== 'object' || doc === null || doc.version !== 1 || !Array.isArray(doc.writes) || !Array.isArray(doc.removes)) {
    return 'not a helm-synth journal';
  }
  const ok = (e: { chart?: unknown; path?: unknown; hash?: unknown; previousHash?: unknown }): boolean =>
    typeof e === 'object' &&
    e !== null &&
    typeof e.chart === 'string' &&
    isSafeSegment(e.chart) &&
    typeof e.path === 'string' &&
    isSafeRelativePath(e.path) &&
    typeof e.hash === 'string' &&
    (e.previousHash === undefined || typeof e.previousHash === 'string');
  if (!doc.writes.every(ok) || !doc.removes.every(ok)) return 'an entry is not a chart, a relative path and a hash';
  return { writes: doc.writes as JournalWrite[], removes: doc.removes as JournalRemove[] };
}

/** What repairing a crashed run's leftovers does: the owned files it ends with, and what it deletes. */
export interface Recovery {
  /** The manifest after the repair. */
  readonly owned: OwnedFiles;
  /** Temporaries of the crashed run that are present (absolute paths). */
  readonly temporaries: readonly string[];
  /** Folders the crashed run may have emptied or created, deepest first: removed if empty. */
  readonly folders: readonly string[];
  /** The one line that says what was found and done. */
  readonly message: string;
}

/**
 * Works out the repair of a crashed run from its journal and the disk, reading only. A path stays or
 * becomes owned only when its content is the writer's: a path owned before the run stays owned
 * (its content is the old or the new version, both written by helm-synth), a new path becomes owned
 * only when its content is exactly what the run meant to write, and a removed path is forgotten
 * once it is gone. Temporaries are deleted: the targets they were meant for keep the version they have.
 */
export function planRecovery(outdir: string, owned: OwnedFiles, journal: Journal, disk: OutputDisk): Recovery {
  const result = copyOwned(owned);
  const temporaries: string[] = [];
  const folders = new Set<string>();
  let completed = 0;
  let pending = 0;
  for (const w of journal.writes) {
    const target = join(outdir, w.chart, w.path);
    const temporary = temporaryPath(target);
    if (disk.statIfPresent(temporary)) temporaries.push(temporary);
    const content = disk.readIfPresent(target);
    if (content === undefined) {
      setOwned(result, w.chart, w.path, undefined);
      addFolders(folders, outdir, target);
      continue;
    }
    const hash = contentHash(content);
    if (hash === w.hash) {
      completed++;
      setOwned(result, w.chart, w.path, hash);
    } else if (w.previousHash !== undefined) {
      pending++;
      setOwned(result, w.chart, w.path, w.previousHash);
    } else {
      setOwned(result, w.chart, w.path, undefined);
    }
  }
  let removed = 0;
  for (const r of journal.removes) {
    const target = join(outdir, r.chart, r.path);
    if (disk.statIfPresent(target)) {
      setOwned(result, r.chart, r.path, r.hash);
    } else {
      removed++;
      setOwned(result, r.chart, r.path, undefined);
      addFolders(folders, outdir, target);
    }
  }
  for (const name of [OutputFileNames.MANIFEST, OutputFileNames.JOURNAL]) {
    const temporary = temporaryPath(join(outdir, name));
    if (disk.statIfPresent(temporary)) temporaries.push(temporary);
  }
  const message =
    `helm-synth: repaired ${disk.show(outdir)} after an interrupted synth: ${completed} file(s) had their new version, ` +
    `${pending} kept their previous one, ${removed} removal(s) were done; deleted ${temporaries.length} temporary file(s)`;
  return { owned: result, temporaries, folders: [...folders].sort((a, b) => b.length - a.length), message };
}

function addFolders(folders: Set<string>, outdir: string, target: string): void {
  for (let dir = dirname(target); dir.length > outdir.length && dir.startsWith(outdir); dir = dirname(dir)) folders.add(dir);
}
