import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  ArchiveOrigin,
  buildDependencies,
  ChartCache,
  packChart,
  pushChart,
  readChartDirectory,
  RepositoryMirrors,
} from '../../src/release/internal';
import { removeFolder, tempFolder, writeFixtureChart } from '../support/chart-fixture';
import { SHARED_CHARTS } from '../support/dependencies';
import { hasCommand, REGISTRY_BIN, TestRegistry } from '../support/oci-registry';
import { reportMissingTool } from '../support/tools';

const BITNAMI = join(SHARED_CHARTS, 'bitnami');
const ready = hasCommand(REGISTRY_BIN) && existsSync(join(BITNAMI, 'postgresql-17.1.0'));
if (!ready) reportMissingTool(`oci:// dependency build: needs ${REGISTRY_BIN} and ../shared/charts/bitnami`);

(ready ? describe : describe.skip)('dependency build from an oci:// repository (docker-registry on 127.0.0.1)', () => {
  let work: string;
  let registry: TestRegistry;
  beforeAll(async () => {
    work = tempFolder();
    registry = await TestRegistry.start(join(work, 'registry'));
    for (const version of ['10.8.0', '17.1.0']) {
      const archive = packChart(readChartDirectory(join(BITNAMI, `postgresql-${version}`)));
      await pushChart(archive, `oci://${registry.host}/charts`, `postgresql-${version}.tgz`, { credentials: null });
    }
  });
  afterAll(() => {
    registry?.stop();
    removeFolder(work);
  });

  test('an oci:// repository mirrored to another registry is read from the mirror; Chart.lock keeps the original URL', async () => {
    const original = 'oci://registry.invalid/bitnamicharts';
    const app = writeFixtureChart(join(work, 'mirrored'), {
      name: 'app',
      version: '1.0.0',
      metadata: { dependencies: [{ name: 'postgresql', version: '~10.8.0', repository: original }] },
    });
    const mirrors = RepositoryMirrors.fromRecord({ [original]: `oci://${registry.host}/charts` }, 'test');
    const [report] = await buildDependencies([app], { cache: new ChartCache(join(work, 'mirror-cache')), mirrors });
    expect(report.dependencies).toEqual([expect.objectContaining({ version: '10.8.0', origin: ArchiveOrigin.DOWNLOADED })]);
    expect(readFileSync(join(app, 'Chart.lock'), 'utf8')).toContain(`repository: ${original}\n`);
  });

  test('the highest tag in the range is pulled, its digest locked; offline runs resolve from the cache after the registry is gone', async () => {
    const repository = `oci://${registry.host}/charts`;
    const app = writeFixtureChart(join(work, 'dist'), {
      name: 'app',
      version: '1.0.0',
      metadata: { dependencies: [{ name: 'postgresql', version: '>=17.0.0 <18.0.0', repository }] },
    });
    const cache = new ChartCache(join(work, 'cache'));
    const [report] = await buildDependencies([app], { cache, generated: '2024-01-01T00:00:00Z' });
    expect(report.dependencies).toEqual([
      expect.objectContaining({
        name: 'postgresql',
        version: '17.1.0',
        path: 'charts/postgresql-17.1.0.tgz',
        origin: ArchiveOrigin.DOWNLOADED,
      }),
    ]);
    expect(readChartDirectory(app).files.has('charts/postgresql-17.1.0.tgz')).toBe(true);
    registry.stop();
    removeFolder(join(app, 'charts'));
    const [offline] = await buildDependencies([app], { cache, offline: true, generated: '2024-01-01T00:00:00Z' });
    expect(offline.dependencies).toEqual([expect.objectContaining({ version: '17.1.0', origin: ArchiveOrigin.CACHED })]);
    await expect(buildDependencies([app], { cache: new ChartCache(join(work, 'empty')), offline: true })).rejects.toThrow(
      'is not in the chart cache, and --offline forbids asking the registry',
    );
  });
});
