import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser } from 'tar';
import { archiveDigest, packChart, readChartDirectory, unpackChart } from '../../src/release/internal';
import { removeFolder, tempFolder, writeFixtureChart } from '../support/chart-fixture';
import { expectHelmSynthError } from '../support/errors';
import { Testing } from '../../src/testing';

const ROOT = join(__dirname, '..', '..');

interface EntryHeader {
  path: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
}

function entries(archive: Buffer): EntryHeader[] {
  const result: EntryHeader[] = [];
  const parser = new Parser({
    onReadEntry: (entry) => {
      const h = entry.header;
      result.push({
        path: entry.path,
        type: entry.type,
        mode: h.mode!,
        uid: h.uid!,
        gid: h.gid!,
        uname: h.uname ?? '',
        gname: h.gname ?? '',
        mtime: h.mtime!.getTime(),
      });
      entry.resume();
    },
  });
  parser.end(archive);
  return result;
}

/** A chart with a vendored subchart folder, a vendored subchart archive, a .helmignore and files it excludes. */
function writeReleaseChart(parent: string): string {
  const sub = writeFixtureChart(
    parent,
    {
      name: 'cache',
      version: '2.0.0',
      objects: { 'cm.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cache-config' }, data: { a: 'b' } } },
    },
    'cache-src',
  );
  const subArchive = packChart(readChartDirectory(sub));
  return writeFixtureChart(parent, {
    name: 'shop',
    version: '1.2.3',
    metadata: {
      appVersion: '4.5.6',
      description: 'A shop.',
      dependencies: [
        { name: 'db', version: '1.0.0', repository: 'file://db' },
        { name: 'cache', version: '2.0.0' },
      ],
    },
    values: { replicas: 2 },
    templates: {
      'deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-shop\nspec:\n  replicas: {{ .Values.replicas }}\n  selector:\n    matchLabels: {app: shop}\n  template:\n    metadata:\n      labels: {app: shop}\n    spec:\n      containers: [{name: shop, image: "shop:1"}]\n',
    },
    files: {
      '.helmignore': '*.bak\nsecrets/\n',
      'README.md': '# shop\n',
      'notes.bak': 'ignored',
      'secrets/key.pem': 'ignored',
      'templates/.editor.swp': 'ignored: hidden under templates/',
      'charts/db/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 1.0.0\n',
      'charts/db/values.yaml': 'size: 1Gi\n',
      'charts/db/templates/pvc.yaml':
        'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {{ .Release.Name }}-db\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: {{ .Values.size }}\n',
      'charts/cache-2.0.0.tgz': subArchive,
      [`templates/${'long-name-'.repeat(12)}.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-long\n',
    },
  });
}

describe('chart archives', () => {
  let work: string;
  beforeEach(() => {
    work = tempFolder();
  });
  afterEach(() => removeFolder(work));

  test('Helm layout: <name>/Chart.yaml first, vendored charts/ folders and archives included, .helmignore honoured', () => {
    const archive = packChart(readChartDirectory(writeReleaseChart(work)));
    const list = entries(archive);
    expect(list.map((e) => e.path)).toEqual([
      'shop/Chart.yaml',
      'shop/.helmignore',
      'shop/README.md',
      'shop/charts/cache-2.0.0.tgz',
      'shop/charts/db/Chart.yaml',
      'shop/charts/db/templates/pvc.yaml',
      'shop/charts/db/values.yaml',
      'shop/templates/deployment.yaml',
      `shop/templates/${'long-name-'.repeat(12)}.yaml`,
      'shop/values.yaml',
    ]);
    for (const entry of list) expect(entry).toMatchObject({ type: 'File', mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', mtime: 0 });
    expect(archive.subarray(0, 10)).toEqual(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]));
    const unpacked = unpackChart(archive, 'shop.tgz');
    expect(unpacked.files.get('charts/cache-2.0.0.tgz')).toEqual(readFileSync(join(work, 'shop', 'charts', 'cache-2.0.0.tgz')));
    expect(unpacked).toMatchObject({ name: 'shop', version: '1.2.3' });
  });

  test('byte-identical across runs with different TZ, umask, file modes and mtimes; digest = sha256', () => {
    const script = (mask: number, folder: string) => `
      process.umask(${mask});
      const fs = require('fs'); const path = require('path');
      const release = require(${JSON.stringify(join(ROOT, 'lib', 'src', 'release', 'internal'))});
      const chart = path.join(${JSON.stringify(folder)}, 'c');
      fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
      fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\\nname: c\\nversion: 0.1.0\\n');
      fs.writeFileSync(path.join(chart, 'values.yaml'), 'a: 1\\n');
      fs.writeFileSync(path.join(chart, 'templates', 'cm.yaml'), 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: x\\n');
      fs.utimesSync(path.join(chart, 'values.yaml'), new Date(), new Date(Date.now() - ${mask} * 1000));
      process.stdout.write(release.packChart(release.readChartDirectory(chart)).toString('base64'));`;
    const run = (mask: number, tz: string) => {
      const folder = join(work, `run-${mask}-${tz.replace('/', '-')}`);
      mkdirSync(folder);
      const result = spawnSync(process.execPath, ['-e', script(mask, folder)], { encoding: 'utf8', env: { ...process.env, TZ: tz } });
      expect(result.stderr).toBe('');
      return Buffer.from(result.stdout, 'base64');
    };
    const first = run(0o022, 'UTC');
    const second = run(0o077, 'Pacific/Kiritimati');
    expect(first.length).toBeGreaterThan(100);
    expect(second.equals(first)).toBe(true);
    const dir = writeFixtureChart(work, { name: 'c', version: '0.1.0', values: { a: 1 } });
    chmodSync(join(dir, 'values.yaml'), 0o600);
    expect(entries(packChart(readChartDirectory(dir))).every((e) => e.mode === 0o644)).toBe(true);
    expect(archiveDigest(first)).toBe(createHash('sha256').update(first).digest('hex'));
    expect(gunzipSync(first).length % 512).toBe(0);
  });

  test('unpackChart refuses archives that are not charts', () => {
    expectHelmSynthError(() => unpackChart(Buffer.from('not gzip'), 'x.tgz'), 'x.tgz', 'not a gzip archive');
    const dir = writeFixtureChart(work, { name: 'c', version: '0.1.0' });
    const noChartYaml = packChart({ ...readChartDirectory(dir), files: new Map([['values.yaml', Buffer.from('a: 1\n')]]) });
    expectHelmSynthError(() => unpackChart(noChartYaml, 'y.tgz'), 'y.tgz', 'no <name>/Chart.yaml');
  });

  test('a chart whose Chart.yaml has no valid version cannot be packaged', () => {
    const dir = writeFixtureChart(work, { name: 'c', version: 'latest' });
    expectHelmSynthError(() => readChartDirectory(dir), `${dir}/Chart.yaml`, 'version must be a SemVer string', '"latest"');
  });

  Testing.ifHelm(test)('helm renders the chart unpacked from its archive (by the system tar), subcharts included', () => {
    const archiveFile = join(work, 'shop-1.2.3.tgz');
    writeFileSync(archiveFile, packChart(readChartDirectory(writeReleaseChart(work))));
    const out = join(work, 'unpacked');
    mkdirSync(out);
    execFileSync('tar', ['-xzf', archiveFile, '-C', out]);
    const cacheArchive = join(out, 'shop', 'charts', 'cache-2.0.0.tgz');
    execFileSync('tar', ['-xzf', cacheArchive, '-C', join(out, 'shop', 'charts')]);
    removeFolder(cacheArchive);
    const docs = Testing.render(join(out, 'shop'), { releaseName: 'r1' }).manifests;
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'ConfigMap/cache-config',
      'ConfigMap/r1-long',
      'Deployment/r1-shop',
      'PersistentVolumeClaim/r1-db',
    ]);
    expect(docs.find((d) => d.kind === 'Deployment')!.spec.replicas).toBe(2);
  });
});
