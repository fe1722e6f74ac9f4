import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { describeValue, HelmSynthError } from '../errors';
import { FileOp, runFileOps } from './file-ops';
import { Journal, parseJournal, planRecovery, renderJournal } from './journal';
import { OutputIoError } from './output-error';
import { NODE_FILE_SYSTEM, OutputDisk, OutputFileSystem } from './output-fs';
import { checkOutputFolder } from './output-guard';
import { OutputLock } from './output-lock';
import {
  contentHash,
  copyOwned,
  isSafeRelativePath,
  isSafeSegment,
  OutputFileNames,
  OwnedFiles,
  parseManifest,
  renderManifest,
  setOwned,
  temporaryName,
  temporaryPath,
} from './owned-files';

/** One chart to write: its folder name in the output folder and its files by relative path. */
export interface OutputChart {
  /** Folder name in the output folder. */
  readonly name: string;
  /** File path relative to the chart folder (`/`-separated) → content. */
  readonly files: ReadonlyMap<string, string>;
}

/** Settings of an output write. */
export interface OutputOptions {
  /** Only work out what would be written, left unchanged and removed; touch nothing. @default false */
  readonly dryRun?: boolean;
  /** The project folder: the output may not be it or a folder above it. @default process.cwd() */
  readonly projectDir?: string;
  /** The app's entry file: the output may not hold it. @default none */
  readonly appFile?: string;
  /** How long to wait for another synth writing the same folder, in milliseconds. @default 10000 */
  readonly lockTimeoutMs?: number;
  /**
   * The file-system calls, for fault injection in tests; files are then written one at a time through them.
   * @default Node's fs, one call at a time, handing the rest to a worker thread when the disk is slow (see runFileOps)
   */
  readonly fs?: OutputFileSystem;
}

/** What happened (or, in a dry run, would happen) to one chart folder. Paths are relative to the chart folder, sorted. */
export interface ChartOutputReport {
  /** The chart folder name. */
  readonly name: string;
  /** Files written: new, or with changed content. */
  readonly written: readonly string[];
  /** Files whose content was already right: not touched. */
  readonly unchanged: readonly string[];
  /** Files helm-synth had written that the app no longer has: removed. */
  readonly removed: readonly string[];
  /** True for a chart the app no longer has: its files were removed (its folder too, if nothing else was in it). */
  readonly dropped: boolean;
}

/** The result of an output write. */
export interface OutputReport {
  /** The output folder, as given. */
  readonly outdir: string;
  /** Whether nothing was touched. */
  readonly dryRun: boolean;
  /** The charts written, in the order given, then the dropped ones by name. */
  readonly charts: readonly ChartOutputReport[];
  /** One line per repair of an interrupted run's leftovers (none usually). */
  readonly recovered: readonly string[];
}

/**
 * Writes chart folders into an output folder, owning only what it writes. The folder's
 * `.helm-synth.json` records every file written with its hash: a later run replaces and removes
 * only recorded files, so anything else in the folder or in a chart folder (a vendored `charts/`,
 * `Chart.lock`, `values-prod.yaml`) is never touched, and a file in the way that helm-synth did not
 * write fails the run before anything is written. Unchanged files are not rewritten.
 *
 * The write protocol (see docs/ARCHITECTURE.md): take the lock; repair an interrupted run from its
 * journal; plan; write a journal of every path about to be written or removed; write every new
 * content and the new manifest to temporaries beside their targets (a failure here, such as a full
 * disk, deletes them: nothing changed); rename each temporary over its target, so each file is at
 * every instant its complete old or new version; remove dropped files; rename the manifest into
 * place; delete the journal; release the lock. No fsync: this protects against a killed process,
 * not against a power cut.
 *
 * Throws HelmSynthError for a refused output folder or a file in the way, OutputIoError for a
 * failing file-system call, LockBusyError when another synth keeps the folder.
 */
export function writeOutput(outdir: string, charts: readonly OutputChart[], options: OutputOptions = {}): OutputReport {
  const cwd = process.cwd();
  const given = resolve(outdir);
  checkCharts(charts);
  const fs = options.fs ?? NODE_FILE_SYSTEM;
  const guard = { projectDir: options.projectDir ?? cwd, appFile: options.appFile };
  const folder = checkOutputFolder(given, guard, new OutputDisk(fs, (p) => showPath(p, cwd)));
  const real = folder.real;
  const disk = new OutputDisk(fs, (p) => showPath(p === real || p.startsWith(real + sep) ? given + p.slice(real.length) : p, cwd));
  const shown = disk.show(given);
  if (options.dryRun) {
    const state: OutputState = folder.exists ? readState(real, disk) : { owned: new Map(), manifestText: undefined };
    const recovery = state.journal && planRecovery(real, state.owned, state.journal, disk);
    const plan = planOutput(real, charts, recovery ? recovery.owned : state.owned, disk);
    const recovered = recovery ? [`${recovery.message.replace('repaired', 'would repair')} (dry run: not done)`] : [];
    return { outdir: shown, dryRun: true, charts: plan.reports, recovered };
  }
  makeFolder(given, real, disk);
  const lock = OutputLock.acquire(real, disk, { timeoutMs: options.lockTimeoutMs });
  try {
    const state = readState(real, disk);
    let owned = state.owned;
    let manifestText = state.manifestText;
    const recovered: string[] = [];
    if (state.journal) {
      const recovery = planRecovery(real, owned, state.journal, disk);
      for (const temporary of recovery.temporaries) disk.unlinkIfPresent(temporary);
      for (const dir of recovery.folders) disk.removeIfEmpty(dir);
      manifestText = renderManifest(recovery.owned);
      disk.replaceFile(join(real, OutputFileNames.MANIFEST), temporaryPath(join(real, OutputFileNames.MANIFEST)), manifestText);
      disk.unlinkIfPresent(join(real, OutputFileNames.JOURNAL));
      owned = recovery.owned;
      recovered.push(recovery.message);
    }
    for (const name of [OutputFileNames.MANIFEST, OutputFileNames.JOURNAL]) disk.unlinkIfPresent(temporaryPath(join(real, name)));
    const plan = planOutput(real, charts, owned, disk);
    applyPlan(real, plan, owned, manifestText, disk, options.fs === undefined);
    return { outdir: shown, dryRun: false, charts: plan.reports, recovered };
  } finally {
    lock.release();
  }
}

/** A file to write. */
interface PlannedWrite {
  readonly chart: string;
  readonly path: string;
  readonly target: string;
  readonly content: string;
  readonly hash: string;
  readonly previousHash?: string;
}

/** An owned file to remove. */
interface PlannedRemove {
  readonly chart: string;
  readonly path: string;
  readonly target: string;
  readonly hash: string;
}

interface OutputPlan {
  readonly writes: readonly PlannedWrite[];
  readonly removes: readonly PlannedRemove[];
  /** Folders to create, parents first. */
  readonly folders: readonly string[];
  /** The manifest once every write and removal is done. */
  readonly owned: OwnedFiles;
  readonly reports: ChartOutputReport[];
}

interface OutputState {
  readonly owned: OwnedFiles;
  readonly manifestText: string | undefined;
  readonly journal?: Journal;
}

function readState(real: string, disk: OutputDisk): OutputState {
  const manifestPath = join(real, OutputFileNames.MANIFEST);
  const manifestText = disk.readIfPresent(manifestPath)?.toString('utf8');
  const parsed = manifestText === undefined ? new Map() : parseManifest(manifestText);
  if (typeof parsed === 'string') {
    throw new HelmSynthError(
      disk.show(manifestPath),
      `${parsed}; this file is helm-synth's record of the files it wrote: ` +
        'restore it, or move the output folder away and synthesize into a new one',
    );
  }
  const journalPath = join(real, OutputFileNames.JOURNAL);
  const journalText = disk.readIfPresent(journalPath)?.toString('utf8');
  const journal = journalText === undefined ? undefined : parseJournal(journalText);
  if (typeof journal === 'string') {
    throw new HelmSynthError(
      disk.show(journalPath),
      `${journal}; this file records an interrupted synth: ` + 'restore it, or move the output folder away and synthesize into a new one',
    );
  }
  return { owned: parsed, manifestText, journal };
}

/** Kinds of what is at a path. */
const enum EntryKind {
  FILE,
  FOLDER,
  OTHER,
}

/** Reads the output folder as far as needed to decide, per file, write / unchanged / conflict, and what to remove. */
function planOutput(real: string, charts: readonly OutputChart[], owned: OwnedFiles, disk: OutputDisk): OutputPlan {
  const listings = new Map<string, Map<string, EntryKind> | undefined>();
  const listing = (dir: string): Map<string, EntryKind> | undefined => {
    if (listings.has(dir)) return listings.get(dir);
    const entries = disk.listIfPresent(dir);
    const result =
      entries &&
      new Map(
        entries.map((e) => [
          e.name,
          e.isFile()
            ? EntryKind.FILE
            : e.isDirectory()
              ? EntryKind.FOLDER
              : e.isSymbolicLink()
                ? symlinkKind(join(dir, e.name), disk)
                : EntryKind.OTHER,
        ]),
      );
    listings.set(dir, result);
    return result;
  };
  const conflicts: string[] = [];
  const folderExists = new Map<string, boolean>([[real, true]]);
  const folderState = (dir: string): boolean => {
    const known = folderExists.get(dir);
    if (known !== undefined) return known;
    const parent = dirname(dir);
    let exists = false;
    if (folderState(parent)) {
      const kind = listing(parent)?.get(basename(dir));
      if (kind === EntryKind.FOLDER) exists = true;
      else if (kind !== undefined) conflicts.push(`${disk.show(dir)} (a file where helm-synth needs a folder)`);
    }
    folderExists.set(dir, exists);
    return exists;
  };

  const writes: PlannedWrite[] = [];
  const removes: PlannedRemove[] = [];
  const folders = new Set<string>();
  const next = copyOwned(owned);
  const reports: ChartOutputReport[] = [];
  for (const chart of charts) {
    const recorded = owned.get(chart.name) ?? new Map<string, string>();
    const written: string[] = [];
    const unchanged: string[] = [];
    next.delete(chart.name);
    for (const [path, content] of chart.files) {
      const target = join(real, chart.name, ...path.split('/'));
      const dir = dirname(target);
      const hash = contentHash(content);
      setOwned(next, chart.name, path, hash);
      const previousHash = recorded.get(path);
      if (!folderState(dir)) {
        for (let d = dir; !folderExists.get(d); d = dirname(d)) folders.add(d);
        writes.push({ chart: chart.name, path, target, content, hash, previousHash });
        written.push(path);
        continue;
      }
      const entries = listing(dir);
      if (entries?.has(temporaryName(basename(target)))) {
        conflicts.push(`${disk.show(temporaryPath(target))} (a temporary file of helm-synth's name that no interrupted run recorded)`);
      }
      const kind = entries?.get(basename(target));
      const handKept = isHandKeptValuesFile(path);
      if (handKept && kind === EntryKind.FILE) {
        const problem = handKeptConflict(target, previousHash, disk);
        if (problem) {
          conflicts.push(problem);
          continue;
        }
      }
      if (kind === undefined) {
        writes.push({ chart: chart.name, path, target, content, hash, previousHash });
        written.push(path);
      } else if (kind !== EntryKind.FILE) {
        conflicts.push(`${disk.show(target)} (a folder or special file where helm-synth writes a file)`);
      } else if (previousHash === undefined || previousHash === hash) {
        const current = disk.readIfPresent(target);
        if (current !== undefined && current.equals(Buffer.from(content, 'utf8'))) {
          unchanged.push(path);
        } else if (previousHash === undefined) {
          conflicts.push(`${disk.show(target)} (not written by helm-synth)`);
        } else {
          writes.push({ chart: chart.name, path, target, content, hash, previousHash });
          written.push(path);
        }
      } else {
        writes.push({ chart: chart.name, path, target, content, hash, previousHash });
        written.push(path);
      }
    }
    const removed = [...recorded.keys()].filter((path) => !chart.files.has(path));
    for (const path of removed.filter(isHandKeptValuesFile)) {
      const problem = handKeptConflict(join(real, chart.name, path), recorded.get(path), disk);
      if (problem) conflicts.push(problem);
    }
    for (const path of removed) {
      removes.push({ chart: chart.name, path, target: join(real, chart.name, ...path.split('/')), hash: recorded.get(path)! });
    }
    reports.push({ name: chart.name, written: written.sort(), unchanged: unchanged.sort(), removed: removed.sort(), dropped: false });
  }
  const kept = new Set(charts.map((c) => c.name));
  for (const name of [...owned.keys()].filter((n) => !kept.has(n)).sort()) {
    const recorded = owned.get(name)!;
    next.delete(name);
    for (const path of [...recorded.keys()].filter(isHandKeptValuesFile)) {
      const problem = handKeptConflict(join(real, name, path), recorded.get(path), disk);
      if (problem) conflicts.push(problem);
    }
    for (const [path, hash] of recorded) removes.push({ chart: name, path, target: join(real, name, ...path.split('/')), hash });
    reports.push({ name, written: [], unchanged: [], removed: [...recorded.keys()].sort(), dropped: true });
  }
  if (conflicts.length > 0) {
    conflicts.sort();
    const listed = conflicts.slice(0, 5).join(', ') + (conflicts.length > 5 ? ` and ${conflicts.length - 5} more` : '');
    throw new HelmSynthError(
      disk.show(real),
      `refusing to overwrite what helm-synth did not write: ${listed}; ` +
        'move these away (or remove them), or choose another output folder; nothing was written',
    );
  }
  const depth = (p: string): number => p.split(sep).length;
  return { writes, removes, folders: [...folders].sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : 1)), owned: next, reports };
}

/**
 * Whether a chart file is a values file of the kind people keep by hand beside a chart
 * (`values-<anything>.yaml`/`.yml` in the chart folder, such as `values-prod.yaml`). helm-synth
 * writes one only for an environment the chart declares, and holds it to a stricter rule than its
 * other files: it never adopts one it finds (even with the very content it would write), and it
 * replaces or removes one only while its content is still what helm-synth recorded.
 */
export function isHandKeptValuesFile(path: string): boolean {
  return /^values-[^/]*\.ya?ml$/.test(path);
}

/** Why a hand-kept values file on disk may not be replaced or removed, or undefined when it may. */
function handKeptConflict(target: string, recordedHash: string | undefined, disk: OutputDisk): string | undefined {
  const current = disk.readIfPresent(target);
  if (current === undefined) return undefined;
  if (recordedHash === undefined)
    return `${disk.show(target)} (a values file helm-synth did not write: it never takes one over, even with the same content)`;
  if (contentHash(current) !== recordedHash)
    return `${disk.show(target)} (a values file helm-synth wrote, changed by hand since: keep your edits in the TypeScript environment)`;
  return undefined;
}

function symlinkKind(path: string, disk: OutputDisk): EntryKind {
  const stat = disk.statIfPresent(path);
  return stat?.isFile() ? EntryKind.FILE : stat?.isDirectory() ? EntryKind.FOLDER : EntryKind.OTHER;
}

/** Carries out a plan with the journal protocol (see writeOutput). */
function applyPlan(
  real: string,
  plan: OutputPlan,
  owned: OwnedFiles,
  manifestText: string | undefined,
  disk: OutputDisk,
  parallel: boolean,
): void {
  const manifestPath = join(real, OutputFileNames.MANIFEST);
  const manifestTemporary = temporaryPath(manifestPath);
  const journalPath = join(real, OutputFileNames.JOURNAL);
  const nextText = renderManifest(plan.owned);
  if (plan.writes.length === 0 && plan.removes.length === 0) {
    if (nextText !== manifestText) disk.replaceFile(manifestPath, manifestTemporary, nextText);
    return;
  }
  const journal: Journal = {
    writes: plan.writes.map(({ chart, path, hash, previousHash }) => ({ chart, path, hash, previousHash })),
    removes: plan.removes.map(({ chart, path, hash }) => ({ chart, path, hash })),
  };
  disk.replaceFile(journalPath, temporaryPath(journalPath), renderJournal(journal));

  const mkdirWaves: FileOp[][] = [];
  for (const folder of plan.folders) {
    const level = folder.split(sep).length;
    const wave = mkdirWaves.find((w) => w[0].path.split(sep).length === level);
    if (wave) wave.push({ kind: 'mkdir', path: folder });
    else mkdirWaves.push([{ kind: 'mkdir', path: folder }]);
  }
  const writeWave: FileOp[] = plan.writes.map((w) => ({ kind: 'write', path: temporaryPath(w.target), content: w.content }));
  writeWave.push({ kind: 'write', path: manifestTemporary, content: nextText });
  const fs = parallel ? undefined : disk.fs;
  const staged = runFileOps([...mkdirWaves, writeWave], fs);
  if (staged.failure) {
    const { wave, index, error } = staged.failure;
    const inMkdir = wave < mkdirWaves.length;
    const failed = inMkdir ? mkdirWaves[wave][index].path : index < plan.writes.length ? plan.writes[index].target : manifestPath;
    const action = inMkdir ? 'create the folder' : 'write';
    const outcome = `nothing in ${disk.show(real)} was changed`;
    bestEffort(() => {
      for (const op of writeWave) disk.unlinkIfPresent(op.path);
      const created = staged.done.slice(0, mkdirWaves.length).flatMap((done, w) => done.map((i) => mkdirWaves[w][i].path));
      for (const folder of created.reverse()) disk.removeIfEmpty(folder);
      disk.unlinkIfPresent(journalPath);
    });
    throw new OutputIoError(action, disk.show(failed), error, outcome);
  }

  const renames = runFileOps([plan.writes.map((w) => ({ kind: 'rename', from: temporaryPath(w.target), path: w.target }))], fs);
  if (renames.failure) {
    const done = new Set(renames.done[0]);
    const partial = copyOwned(owned);
    plan.writes.forEach((w, i) => {
      if (done.has(i)) setOwned(partial, w.chart, w.path, w.hash);
    });
    const outcome = `${done.size} of ${plan.writes.length} file(s) were updated, the others keep their previous content; run synth again`;
    settle(
      partial,
      plan.writes.filter((_, i) => !done.has(i)).map((w) => temporaryPath(w.target)),
    );
    throw new OutputIoError('replace', disk.show(plan.writes[renames.failure.index].target), renames.failure.error, outcome);
  }

  const emptied = new Set<string>();
  for (const [i, r] of plan.removes.entries()) {
    try {
      disk.unlinkIfPresent(r.target);
    } catch (error) {
      const partial = copyOwned(plan.owned);
      for (const left of plan.removes.slice(i)) setOwned(partial, left.chart, left.path, left.hash);
      settle(partial, []);
      throw error;
    }
    for (let dir = dirname(r.target); dir !== real && dir.startsWith(real + sep); dir = dirname(dir)) emptied.add(dir);
  }
  for (const dir of [...emptied].sort((a, b) => b.length - a.length)) disk.removeIfEmpty(dir);
  disk.attempt('replace', manifestPath, () => disk.fs.renameSync(manifestTemporary, manifestPath));
  disk.unlinkIfPresent(journalPath);

  /** After a failure half-way: records what is on disk now and drops the journal; if that fails too, the next run repairs from the journal. */
  function settle(partial: OwnedFiles, temporaries: readonly string[]): void {
    bestEffort(() => {
      for (const temporary of temporaries) disk.unlinkIfPresent(temporary);
      disk.unlinkIfPresent(manifestTemporary);
      disk.replaceFile(manifestPath, manifestTemporary, renderManifest(partial));
      disk.unlinkIfPresent(journalPath);
    });
  }
}

function bestEffort(cleanup: () => void): void {
  try {
    cleanup();
  } catch {
    // The journal stays: the next run repairs what this cleanup could not.
  }
}

function makeFolder(given: string, real: string, disk: OutputDisk): void {
  const missing: string[] = [];
  for (let dir = real; !disk.statIfPresent(dir); dir = dirname(dir)) {
    missing.push(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing.reverse()) {
    disk.attempt('create the output folder', dir === real ? given : dir, () => disk.fs.mkdirSync(dir));
  }
}

function checkCharts(charts: readonly OutputChart[]): void {
  const seen = new Set<string>();
  for (const chart of charts) {
    if (!isSafeSegment(chart.name)) throw new HelmSynthError(describeValue(chart.name), 'is not a plain folder name for a chart');
    if (seen.has(chart.name)) throw new HelmSynthError(chart.name, 'two charts have this folder name');
    seen.add(chart.name);
    const paths = new Set(chart.files.keys());
    for (const path of paths) {
      if (!isSafeRelativePath(path)) {
        throw new HelmSynthError(chart.name, `file path ${describeValue(path)} is not a relative path inside the chart`);
      }
      for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
        if (paths.has(path.slice(0, i)))
          throw new HelmSynthError(chart.name, `${describeValue(path.slice(0, i))} is both a file and a folder`);
      }
    }
  }
}

/** A path for a message: relative to the working folder when inside it, else absolute. */
function showPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') || resolve(cwd, rel) !== path ? path : rel;
}
