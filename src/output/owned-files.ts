import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The manifest: what the writer wrote, chart folder name → path in the chart folder → SHA-256 of the content. */
export type OwnedFiles = Map<string, Map<string, string>>;

/** Names the writer uses in the output folder; nothing else there is ever touched. */
export const OutputFileNames = {
  /** The manifest of owned files. */
  MANIFEST: '.helm-synth.json',
  /** The lock of the run that is writing. */
  LOCK: '.helm-synth.lock',
  /** The intent of the run that is writing; present only while it writes, or after it crashed. */
  JOURNAL: '.helm-synth.journal',
} as const;

const TEMPORARY_SUFFIX = '.helm-synth.tmp';

/** The temporary file a target is written to before it is renamed over the target: beside it, with a fixed name. */
export function temporaryPath(target: string): string {
  return join(dirname(target), temporaryName(basename(target)));
}

/** The temporary file name of a file name. */
export function temporaryName(name: string): string {
  return `.${name}${TEMPORARY_SUFFIX}`;
}

/** Whether a file name is one of the writer's temporaries. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMPORARY_SUFFIX);
}

/** SHA-256 of a text, hex. */
export function contentHash(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A deep copy of owned files. */
export function copyOwned(owned: OwnedFiles): OwnedFiles {
  return new Map([...owned].map(([chart, files]) => [chart, new Map(files)]));
}

/** Records a file as owned with its hash, or forgets it (hash undefined); a chart without files is dropped. */
export function setOwned(owned: OwnedFiles, chart: string, path: string, hash: string | undefined): void {
  let files = owned.get(chart);
  if (hash === undefined) {
    files?.delete(path);
    if (files && files.size === 0) owned.delete(chart);
    return;
  }
  if (!files) owned.set(chart, (files = new Map()));
  files.set(path, hash);
}

/** The manifest text: sorted keys, no timestamps, so that two runs with the same charts write the same bytes. */
export function renderManifest(owned: OwnedFiles): string {
  const charts: Record<string, Record<string, string>> = {};
  for (const chart of [...owned.keys()].sort()) {
    const files = owned.get(chart)!;
    charts[chart] = Object.fromEntries([...files.keys()].sort().map((path) => [path, files.get(path)!]));
  }
  const doc = {
    charts,
    generator: 'helm-synth',
    note: 'Files helm-synth wrote, with their SHA-256. helm-synth replaces and removes only these; do not edit.',
    version: 1,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Reads a manifest text back.
 *
 * @returns the owned files, or a reason the text is not a manifest
 */
export function parseManifest(text: string): OwnedFiles | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  const d = doc as { generator?: unknown; version?: unknown; charts?: unknown };
  if (typeof doc !== 'object' || doc === null || d.generator !== 'helm-synth') return 'not a helm-synth manifest';
  if (d.version !== 1) return `manifest version ${JSON.stringify(d.version)} is not supported (1 is)`;
  const owned: OwnedFiles = new Map();
  const charts = d.charts;
  if (typeof charts !== 'object' || charts === null) return '"charts" is not an object';
  for (const [chart, files] of Object.entries(charts)) {
    if (!isSafeSegment(chart)) return `chart folder ${JSON.stringify(chart)} is not a plain folder name`;
    if (typeof files !== 'object' || files === null) return `"charts.${chart}" is not an object`;
    for (const [path, hash] of Object.entries(files)) {
      if (!isSafeRelativePath(path)) return `${JSON.stringify(path)} of chart ${chart} is not a relative path inside the chart`;
      if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return `the hash of ${chart}/${path} is not a SHA-256`;
      setOwned(owned, chart, path, hash);
    }
  }
  return owned;
}

/** Whether a name is one plain path segment the writer may use (not `.`, `..`, its own files, separators). */
export function isSafeSegment(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name) && !name.startsWith('.helm-synth') && !isTemporaryName(name);
}

/** Whether a path is relative, `/`-separated, and stays inside its folder. */
export function isSafeRelativePath(path: string): boolean {
  return path.split('/').every(isSafeSegment);
}
