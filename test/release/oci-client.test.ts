import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import {
  chartPushReference,
  findCredentials,
  goJson,
  goYamlKeyOrder,
  helmMetadata,
  helmOciArtifact,
  packChart,
  parseOciReference,
  pullChart,
  readChartDirectory,
} from '../../src/release/internal';
import { removeFolder, tempFolder, writeFixtureChart } from '../support/chart-fixture';
import { expectHelmSynthError } from '../support/errors';

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

describe('OCI references', () => {
  test.each([
    ['oci://127.0.0.1:5000/charts/web:1.0.0', { registry: '127.0.0.1:5000', repository: 'charts/web', tag: '1.0.0' }],
    ['oci://registry.example.com/a/b/c:1.0.0+build.1', { registry: 'registry.example.com', repository: 'a/b/c', tag: '1.0.0_build.1' }],
    [`oci://localhost/web@sha256:${'a'.repeat(64)}`, { registry: 'localhost', repository: 'web', digest: `sha256:${'a'.repeat(64)}` }],
    [
      `oci://[::1]:5000/x/web:2@sha256:${'b'.repeat(64)}`,
      { registry: '[::1]:5000', repository: 'x/web', tag: '2', digest: `sha256:${'b'.repeat(64)}` },
    ],
    ['oci://ghcr.io/org/my_chart.v2--x', { registry: 'ghcr.io', repository: 'org/my_chart.v2--x' }],
  ])('%s', (text, expected) => {
    expect(parseOciReference(text, 'ref')).toEqual({ tag: undefined, digest: undefined, ...expected });
  });

  test.each([
    ['https://example.com/charts', 'starts with oci://'],
    ['oci://example.com/Charts/web', 'repository "Charts/web" is not valid'],
    ['oci://example.com/charts//web', 'is not valid'],
    ['oci://example.com/charts/-web', 'is not valid'],
    ['oci://example.com/web@sha256:abc', 'is not sha256:<64'],
    [`oci://example.com/web:${'x'.repeat(129)}`, 'is not a valid tag'],
    ['oci://exa mple.com/web', 'is not a host name'],
    ['oci://example.com', 'names no repository'],
  ])('refuses %s', (text, fragment) => {
    expectHelmSynthError(() => parseOciReference(text, '--push'), '--push', fragment);
  });

  test('a push target becomes PATH/<chart name>:<version with + as _>; a target with a tag or an upper-case chart name is refused', () => {
    expect(chartPushReference('oci://127.0.0.1:5000/team/charts/', { name: 'web', version: '1.0.0+abc' })).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'team/charts/web',
      tag: '1.0.0_abc',
    });
    expect(chartPushReference('oci://127.0.0.1:5000', { name: 'web', version: '1.0.0' }).repository).toBe('web');
    expectHelmSynthError(
      () => chartPushReference('oci://h/charts:1.0.0', { name: 'web', version: '1.0.0' }),
      'oci://h/charts:1.0.0',
      'names a repository path only',
    );
    expectHelmSynthError(
      () => chartPushReference('oci://h/charts', { name: 'Web', version: '1.0.0' }),
      'Web',
      'cannot be an OCI repository name',
    );
  });
});

describe('registry credentials', () => {
  let work: string;
  beforeAll(() => {
    work = tempFolder('helm-synth-creds-');
  });
  afterAll(() => removeFolder(work));

  const writeConfig = (name: string, config: unknown): string => {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    return dir;
  };
  const auth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

  test("the environment first, then Helm's registry config, then Docker's; keys with or without a scheme", () => {
    const docker = writeConfig('docker', { auths: { 'https://r.example.com': { auth: auth('docker', 'p:w') }, other: {} } });
    const helm = writeConfig('helm', { auths: { 'r2.example.com:5000': { username: 'helm', password: 'x' } } });
    const env = { DOCKER_CONFIG: docker, HELM_REGISTRY_CONFIG: join(helm, 'config.json') };
    expect(findCredentials('r.example.com', env)).toMatchObject({ username: 'docker', password: 'p:w' });
    expect(findCredentials('r2.example.com:5000', env)).toMatchObject({
      username: 'helm',
      password: 'x',
      source: expect.stringContaining(helm),
    });
    expect(findCredentials('r3.example.com', env)).toBeUndefined();
    const hub = writeConfig('hub', { auths: { 'https://index.docker.io/v1/': { auth: auth('hubuser', 'h') } } });
    expect(findCredentials('registry-1.docker.io', { DOCKER_CONFIG: hub, HELM_REGISTRY_CONFIG: '/nonexistent' })).toMatchObject({
      username: 'hubuser',
    });
    expect(
      findCredentials('r.example.com', { ...env, HELM_SYNTH_REGISTRY_USERNAME: 'ci', HELM_SYNTH_REGISTRY_PASSWORD: 'tok' }),
    ).toMatchObject({
      username: 'ci',
      password: 'tok',
    });
    expectHelmSynthError(
      () => findCredentials('r.example.com', { ...env, HELM_SYNTH_REGISTRY_USERNAME: 'ci' }),
      'HELM_SYNTH_REGISTRY_PASSWORD',
      'must be set too',
    );
    const xdg = join(work, 'xdg');
    writeConfig(join('xdg', 'helm', 'registry'), { auths: { 'r4.example.com': { auth: auth('xdg', 'y') } } });
    expect(findCredentials('r4.example.com', { DOCKER_CONFIG: docker, XDG_CONFIG_HOME: xdg })).toMatchObject({ username: 'xdg' });
  });

  test('a credential helper is named with the variables to set instead; broken files are errors naming the file', () => {
    const helper = writeConfig('helper', { credsStore: 'desktop', auths: {} });
    expectHelmSynthError(
      () => findCredentials('r.example.com', { DOCKER_CONFIG: helper, HELM_REGISTRY_CONFIG: '/nonexistent' }),
      join(helper, 'config.json'),
      'credential helper "desktop"',
      'HELM_SYNTH_REGISTRY_USERNAME',
    );
    const broken = join(work, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'config.json'), '{');
    expectHelmSynthError(
      () => findCredentials('r.example.com', { DOCKER_CONFIG: broken, HELM_REGISTRY_CONFIG: '/nonexistent' }),
      join(broken, 'config.json'),
      'is not JSON',
    );
    const badAuth = writeConfig('bad-auth', { auths: { 'r.example.com': { auth: Buffer.from('nocolon').toString('base64') } } });
    expectHelmSynthError(
      () => findCredentials('r.example.com', { DOCKER_CONFIG: badAuth, HELM_REGISTRY_CONFIG: '/nonexistent' }),
      `${join(badAuth, 'config.json')} (auths.r.example.com)`,
      'user:password',
    );
  });
});

/** A small deterministic generator, so generated cases are the same on every run. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("Go's JSON and go-yaml's key order", () => {
  test('goJson escapes as Go does and reads back as the same string (generated strings)', () => {
    expect(goJson('<a href="x">&</a>\u2028\u2029\b\f\n\r\t\u0001\u007f')).toBe(
      '"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e\\u2028\\u2029\\b\\f\\n\\r\\t\\u0001\u007f"',
    );
    expect(goJson('\ud800x')).toBe('"\ufffdx"');
    const random = generator(7);
    const alphabet = ['a', 'Z', '0', ' ', '"', '\\', '<', '>', '&', '\n', '\u0000', '\u001f', 'é', '€', '\u2028', '😀', '/'];
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const encoded = goJson(text);
      expect(JSON.parse(encoded)).toBe(text);
      expect([...encoded].some((char) => char.charCodeAt(0) < 0x20 || '<>&\u2028\u2029'.includes(char))).toBe(false);
    }
  });

  test('keys sort with digit runs as numbers and other characters before letters', () => {
    const keys = ['b', 'a10', 'a2', 'a.b', 'a1', 'A', 'a-b', 'a'];
    expect([...keys].sort(goYamlKeyOrder)).toEqual(['A', 'a', 'a-b', 'a.b', 'a1', 'a2', 'a10', 'b']);
    const random = generator(11);
    for (let i = 0; i < 300; i++) {
      const key = () => Array.from({ length: 1 + Math.floor(random() * 4) }, () => 'a1-.0b'[Math.floor(random() * 6)]).join('');
      const [x, y] = [key(), key()];
      expect(Math.sign(goYamlKeyOrder(x, y)) + Math.sign(goYamlKeyOrder(y, x))).toBe(0);
    }
  });
});

describe("Helm's chart metadata, config blob and manifest", () => {
  let work: string;
  beforeAll(() => {
    work = tempFolder('helm-synth-meta-');
  });
  afterAll(() => removeFolder(work));

  test('an apiVersion v1 chart takes requirements.yaml dependencies; keys match case-insensitively; unknown keys are dropped', () => {
    const kept = writeFixtureChart(work, { name: 'kept', version: '1.0.0', files: { 'requirements.yaml': 'other: x\n' } });
    writeFileSync(join(kept, 'Chart.yaml'), 'apiVersion: v1\nname: kept\nversion: 1.0.0\ndependencies: [{ name: a, repository: r }]\n');
    expect(goJson(helmMetadata(readChartDirectory(kept)))).toContain('"dependencies":[{"name":"a","repository":"r"}]');
    const dir = writeFixtureChart(work, {
      name: 'old',
      version: '1.0.0',
      files: { 'requirements.yaml': 'dependencies:\n- name: db\n  version: 1.x\n' },
    });
    writeFileSync(join(dir, 'Chart.yaml'), 'name: old\nversion: 1.0.0\nAppVersion: 2\nextra: dropped\ndeprecated: true\n');
    const chart = readChartDirectory(dir);
    expect(goJson(helmMetadata(chart))).toBe(
      '{"name":"old","version":"1.0.0","apiVersion":"v1","appVersion":"2","deprecated":true,"dependencies":[{"name":"db","version":"1.x","repository":""}]}',
    );
  });

  test('annotations: chart annotations are added but cannot replace title and version; created is the given time', () => {
    const dir = writeFixtureChart(work, {
      name: 'web',
      version: '1.0.0',
      metadata: {
        annotations: { 'org.opencontainers.image.title': 'other', 'org.opencontainers.image.description': 'from annotation', team: 'core' },
        description: 'desc',
      },
    });
    const archive = packChart(readChartDirectory(dir));
    const artifact = helmOciArtifact(archive, '2024-05-01T12:00:00Z', dir);
    const manifest = JSON.parse(artifact.manifest.toString());
    expect(manifest.annotations).toEqual({
      'org.opencontainers.image.created': '2024-05-01T12:00:00Z',
      'org.opencontainers.image.description': 'from annotation',
      'org.opencontainers.image.title': 'web',
      'org.opencontainers.image.version': '1.0.0',
      team: 'core',
    });
    expect(artifact.manifestDigest).toBe(sha256(artifact.manifest));
    expect(helmOciArtifact(archive, '2024-05-01T12:00:00Z', dir).manifest.equals(artifact.manifest)).toBe(true);
  });
});

describe('pullChart refuses what does not match its digest (a fake registry in the test)', () => {
  let server: Server;
  let host: string;
  const archive = Buffer.from('not really a chart');
  const config = Buffer.from('{}');
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: sha256(archive), size: archive.length }],
    }),
  );
  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = request.url ?? '';
      if (url.endsWith('/manifests/1.0.0') || url.endsWith(`/manifests/${sha256(manifest)}`)) {
        response.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(manifest);
      } else if (url.endsWith(`/manifests/${sha256('other')}`)) {
        response.writeHead(200).end(manifest);
      } else if (url.endsWith(`/blobs/${sha256(config)}`)) {
        response.writeHead(200).end(config);
      } else if (url.endsWith(`/blobs/${sha256(archive)}`)) {
        response.writeHead(200).end(Buffer.from('tampered bytes here'));
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    host = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test('a blob whose bytes have another digest, and a manifest fetched by a digest it does not have', async () => {
    const options = { credentials: null };
    await expect(pullChart(`oci://${host}/charts/web:1.0.0`, options)).rejects.toThrow(
      `blob ${sha256(archive)} arrived with digest ${sha256('tampered bytes here')}`,
    );
    await expect(pullChart(`oci://${host}/charts/web@${sha256('other')}`, options)).rejects.toThrow(
      `manifest ${sha256('other')} arrived with digest ${sha256(manifest)}`,
    );
  });
});
