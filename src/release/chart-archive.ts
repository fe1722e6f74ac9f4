import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Header, Parser, Pax } from 'tar';
import { HelmSynthError } from '../errors';
import { CHART_FILE, ChartContent, chartContent } from './chart-content';

/** The mtime of every archive entry: the Unix epoch, so archives depend on file contents only. */
export const ARCHIVE_MTIME = new Date(0);

/** The mode of every archive entry: 0644, what `helm package` writes for every file. */
export const ARCHIVE_FILE_MODE = 0o644;

const BLOCK = 512;
const GZIP_OS_BYTE = 9;
const GZIP_OS_UNKNOWN = 255;

/**
 * Packs a chart into Helm's archive layout, byte-identical for the same files on any machine,
 * time zone, umask or user: `<name>/Chart.yaml` first, then every other file in Helm's walk order,
 * regular-file entries only (no directory entries, as `helm package` writes), each with mode 0644,
 * mtime 0, uid/gid 0 and empty owner/group names; PAX headers (node-tar's `Pax`) only for paths
 * ustar cannot hold. Gzip at level 9 with zlib's zero header mtime and the OS byte set to 255
 * ("unknown", what Go's compress/gzip writes), so Windows and Unix agree. The deflate stream
 * itself is zlib's: the same Node.js version gives the same bytes.
 */
export function packChart(chart: ChartContent): Buffer {
  const blocks: Buffer[] = [];
  const paths = [...chart.files.keys()].sort(walkOrder);
  for (const path of paths) {
    const data = chart.files.get(path)!;
    const entryPath = `${chart.name}/${path}`;
    const header = new Header({
      path: entryPath,
      type: 'File',
      mode: ARCHIVE_FILE_MODE,
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
      size: data.length,
      mtime: ARCHIVE_MTIME,
    });
    if (header.encode()) blocks.push(new Pax({ path: entryPath, size: data.length }).encode());
    blocks.push(header.block!, data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  const gzipped = gzipSync(Buffer.concat(blocks), { level: 9 });
  gzipped[GZIP_OS_BYTE] = GZIP_OS_UNKNOWN;
  return gzipped;
}

/**
 * Reads a chart archive (any `helm package` or `packChart` output): every regular file under its
 * one top folder. Refuses absolute paths, `..` and files outside a top folder, as Helm's loader does.
 *
 * @param origin the archive's path, for messages
 */
export function unpackChart(archive: Buffer, origin: string): ChartContent {
  let tarData: Buffer;
  try {
    tarData = gunzipSync(archive);
  } catch (error) {
    throw new HelmSynthError(origin, `not a gzip archive: ${(error as Error).message}`);
  }
  const files = new Map<string, Buffer>();
  let top: string | undefined;
  let failure: string | undefined;
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry) => {
      if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
        entry.resume();
        return;
      }
      const parts = entry.path
        .replace(/\\/g, '/')
        .split('/')
        .filter((part) => part !== '' && part !== '.');
      const relative = parts.slice(1).join('/');
      if (entry.path.startsWith('/') || parts.includes('..') || parts.length < 2) failure ??= `illegal path ${JSON.stringify(entry.path)}`;
      else if (top !== undefined && parts[0] !== top) failure ??= `more than one top folder: ${top}, ${parts[0]}`;
      top = parts[0];
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => files.set(relative, Buffer.concat(chunks)));
    },
  });
  parser.on('error', (error: Error) => {
    failure ??= error.message;
  });
  parser.end(tarData);
  if (failure) throw new HelmSynthError(origin, `not a chart archive: ${failure}`);
  if (!files.has(CHART_FILE)) throw new HelmSynthError(origin, `not a chart archive: no <name>/${CHART_FILE}`);
  return chartContent(files, origin);
}

/** sha256 of an archive in hex: the `digest` of its index.yaml entry. */
export function archiveDigest(archive: Buffer): string {
  return createHash('sha256').update(archive).digest('hex');
}

/** Chart.yaml first, then the order of Helm's directory walk (names sorted within each folder). */
function walkOrder(a: string, b: string): number {
  if (a === CHART_FILE || b === CHART_FILE) return a === b ? 0 : a === CHART_FILE ? -1 : 1;
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i] < right[i] ? -1 : 1;
  }
  return left.length - right.length;
}
