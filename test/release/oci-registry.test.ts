import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { hashSync } from 'bcryptjs';
import { x as extract } from 'tar';
import { HelmRunner, parseManifests } from '../../src/helm';
import { packChart, pullChart, pushChart, pushChartFile, PushStatus, readChartDirectory } from '../../src/release/internal';
import { removeFolder, tempFolder, writeFixtureChart } from '../support/chart-fixture';
import { freePort, hasCommand, REGISTRY_BIN, skopeo, TestRegistry } from '../support/oci-registry';
import { reportMissingTool } from '../support/tools';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'src', 'cli', 'main.js');
const HAVE_TOOLS = hasCommand(REGISTRY_BIN) && hasCommand('skopeo');
if (!HAVE_TOOLS)
  reportMissingTool('docker-registry or skopeo not installed (apt-get install docker-registry skopeo): OCI registry tests skipped');
const describeWithRegistry = HAVE_TOOLS ? describe : describe.skip;

const NO_CREDENTIALS: NodeJS.ProcessEnv = { DOCKER_CONFIG: '/nonexistent', HELM_REGISTRY_CONFIG: '/nonexistent/config.json' };

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...NO_CREDENTIALS, ...env } });
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** An archive of a small chart; `marker` changes its content. */
function chartArchive(parent: string, version: string, marker: string, metadata: Record<string, unknown> = {}): Buffer {
  const dir = writeFixtureChart(parent, {
    name: 'shop',
    version,
    metadata: {
      description: 'Shop <front> & back',
      home: 'https://example.com/shop',
      sources: ['https://git.example.com/shop'],
      ...metadata,
    },
    objects: { 'cm.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop' }, data: { marker } } },
  });
  return packChart(readChartDirectory(dir));
}

describeWithRegistry('OCI push and pull against docker-registry (127.0.0.1), cross-checked with skopeo', () => {
  let work: string;
  let registry: TestRegistry;
  beforeAll(async () => {
    work = tempFolder('helm-synth-oci-');
    registry = await TestRegistry.start(join(work, 'registry'));
  });
  afterAll(() => {
    registry?.stop();
    removeFolder(work);
  });

  test("push writes Helm's layout; skopeo reads the same manifest and blobs; pull by digest is byte-identical", async () => {
    const archive = chartArchive(join(work, 'a'), '1.2.3+build.5', 'one', {
      maintainers: [{ name: 'Ops', email: 'ops@example.com' }, { name: 'Dev' }],
    });
    const pushed = await pushChart(archive, `oci://${registry.host}/charts`, 'shop.tgz', { env: NO_CREDENTIALS });
    expect(pushed.status).toBe(PushStatus.PUSHED);
    expect(pushed.reference).toBe(`oci://${registry.host}/charts/shop:1.2.3_build.5`);
    expect(pushed.archiveDigest).toBe(sha256(archive));

    const raw = skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/charts/shop:1.2.3_build.5`]);
    expect(sha256(Buffer.from(raw))).toBe(pushed.digest);
    const manifest = JSON.parse(raw);
    expect(Object.keys(manifest)).toEqual(['schemaVersion', 'config', 'layers', 'annotations']);
    expect(manifest.config.mediaType).toBe('application/vnd.cncf.helm.config.v1+json');
    expect(manifest.layers).toEqual([
      { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: sha256(archive), size: archive.length },
    ]);
    expect(manifest.annotations).toEqual({
      'org.opencontainers.image.authors': 'Ops (ops@example.com), Dev',
      'org.opencontainers.image.created': '1970-01-01T00:00:00Z',
      'org.opencontainers.image.description': 'Shop <front> & back',
      'org.opencontainers.image.source': 'https://git.example.com/shop',
      'org.opencontainers.image.title': 'shop',
      'org.opencontainers.image.url': 'https://example.com/shop',
      'org.opencontainers.image.version': '1.2.3+build.5',
    });

    const copy = join(work, 'skopeo-copy');
    skopeo(['copy', '--src-tls-verify=false', `docker://${registry.host}/charts/shop:1.2.3_build.5`, `dir:${copy}`]);
    expect(readFileSync(join(copy, sha256(archive).slice(7))).equals(archive)).toBe(true);
    const config = readFileSync(join(copy, manifest.config.digest.slice(7)), 'utf8');
    expect(config).toBe(
      '{"name":"shop","home":"https://example.com/shop","sources":["https://git.example.com/shop"],"version":"1.2.3+build.5",' +
        '"description":"Shop \\u003cfront\\u003e \\u0026 back","maintainers":[{"name":"Ops","email":"ops@example.com"},{"name":"Dev"}],' +
        '"apiVersion":"v2","type":"application"}',
    );

    const pulled = await pullChart(`oci://${registry.host}/charts/shop@${pushed.digest}`, { env: NO_CREDENTIALS });
    expect(pulled.archive.equals(archive)).toBe(true);
    expect(pulled.manifestDigest).toBe(pushed.digest);
    expect(pulled.archiveDigest).toBe(sha256(archive));
    expect([pulled.name, pulled.version]).toEqual(['shop', '1.2.3+build.5']);
    const byVersion = await pullChart(`oci://${registry.host}/charts/shop`, { version: '1.2.3+build.5', env: NO_CREDENTIALS });
    expect(byVersion.manifestDigest).toBe(pushed.digest);
  });

  test('the same archive again is unchanged; other content under the same version is refused without --force', async () => {
    const archive = chartArchive(join(work, 'b'), '2.0.0', 'first');
    const target = `oci://${registry.host}/team/apps`;
    const first = await pushChart(archive, target, 'a.tgz', { env: NO_CREDENTIALS });
    const again = await pushChart(archive, target, 'a.tgz', { env: NO_CREDENTIALS, created: '2030-01-01T00:00:00Z' });
    expect(again).toMatchObject({ status: PushStatus.UNCHANGED, digest: first.digest });

    const changed = chartArchive(join(work, 'c'), '2.0.0', 'second');
    await expect(pushChart(changed, target, 'b.tgz', { env: NO_CREDENTIALS })).rejects.toThrow(
      new RegExp(`team/apps/shop:2\\.0\\.0: already holds other content \\(manifest ${first.digest}\\).*bump the version.*--force`),
    );
    const stillFirst = await pullChart(`oci://${registry.host}/team/apps/shop:2.0.0`, { env: NO_CREDENTIALS });
    expect(stillFirst.archive.equals(archive)).toBe(true);

    const forced = await pushChart(changed, target, 'b.tgz', { env: NO_CREDENTIALS, force: true });
    expect(forced).toMatchObject({ status: PushStatus.REPLACED, previousDigest: first.digest });
    expect((await pullChart(`oci://${registry.host}/team/apps/shop:2.0.0`, { env: NO_CREDENTIALS })).archive.equals(changed)).toBe(true);
    expect(
      (await pullChart(`oci://${registry.host}/team/apps/shop@${first.digest}`, { env: NO_CREDENTIALS })).archive.equals(archive),
    ).toBe(true);
  });

  test('the same archive pushed unsigned, then signed, is refused naming the provenance layer, not as other content', async () => {
    const archive = chartArchive(join(work, 'unsigned-first'), '4.0.0', 'same');
    const target = `oci://${registry.host}/late-signature`;
    const first = await pushChart(archive, target, 'shop-4.0.0.tgz', { env: NO_CREDENTIALS });
    const prov = Buffer.from(`files:\n  shop-4.0.0.tgz: ${sha256(archive)}\n`);
    const refusal = `late-signature/shop:4.0.0: already holds this archive shop-4.0.0.tgz (${sha256(archive)}) with no provenance layer (manifest ${first.digest}), and this push has one`;
    await expect(pushChart(archive, target, 'shop-4.0.0.tgz', { env: NO_CREDENTIALS, provenance: prov })).rejects.toThrow(refusal);
    const signed = await pushChart(archive, target, 'shop-4.0.0.tgz', { env: NO_CREDENTIALS, provenance: prov, force: true });
    await expect(pushChart(archive, target, 'shop-4.0.0.tgz', { env: NO_CREDENTIALS })).rejects.toThrow(
      `already holds this archive shop-4.0.0.tgz (${sha256(archive)}) with another provenance layer (manifest ${signed.digest}), and this push has none`,
    );
  });

  test('an archive with a .prov beside it gets the provenance layer; a stale .prov is refused', async () => {
    const folder = join(work, 'prov');
    mkdirSync(folder, { recursive: true });
    const archive = chartArchive(join(work, 'd'), '3.0.0', 'signed');
    const file = join(folder, 'shop-3.0.0.tgz');
    writeFileSync(file, archive);
    const prov = Buffer.from(
      `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nname: shop\n\n...\nfiles:\n  shop-3.0.0.tgz: ${sha256(archive)}\n-----BEGIN PGP SIGNATURE-----\n\nx\n-----END PGP SIGNATURE-----\n`,
    );
    writeFileSync(`${file}.prov`, prov);
    const pushed = await pushChartFile(file, `oci://${registry.host}/signed`, { env: NO_CREDENTIALS });
    const manifest = JSON.parse(skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/signed/shop:3.0.0`]));
    expect(manifest.layers.map((layer: { mediaType: string }) => layer.mediaType).sort()).toEqual([
      'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
      'application/vnd.cncf.helm.chart.provenance.v1.prov',
    ]);
    const digests = manifest.layers.map((layer: { digest: string }) => layer.digest);
    expect(digests).toEqual([...digests].sort());
    const pulled = await pullChart(`oci://${registry.host}/signed/shop@${pushed.digest}`, { env: NO_CREDENTIALS });
    expect(pulled.provenance?.equals(prov)).toBe(true);

    writeFileSync(file, chartArchive(join(work, 'e'), '3.0.0', 'rebuilt'));
    await expect(pushChartFile(file, `oci://${registry.host}/signed2`, { env: NO_CREDENTIALS })).rejects.toThrow(
      /sha256 does not match its provenance file/,
    );
  });

  test('helm-synth push prints the reference and digest; a changed archive under the same version fails in one line', () => {
    const folder = join(work, 'cli');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'shop-4.0.0.tgz');
    writeFileSync(file, chartArchive(join(work, 'f'), '4.0.0', 'cli-one'));
    const first = cli(['push', file, `oci://${registry.host}/cli`]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const digest = /sha256:[0-9a-f]{64}/.exec(first.stdout)![0];
    expect(first.stdout).toBe(`${file}: oci://${registry.host}/cli/shop:4.0.0 ${digest} (pushed)\n`);
    expect(cli(['push', file, `oci://${registry.host}/cli`]).stdout).toBe(
      `${file}: oci://${registry.host}/cli/shop:4.0.0 ${digest} (unchanged)\n`,
    );

    writeFileSync(file, chartArchive(join(work, 'g'), '4.0.0', 'cli-two'));
    const refused = cli(['push', file, `oci://${registry.host}/cli`]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(`already holds other content (manifest ${digest})`);
    const forced = cli(['push', file, `oci://${registry.host}/cli`, '--force']);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain(`(replaced ${digest})`);
  });

  const helmBinary = HelmRunner.find()?.binary;
  (helmBinary ? test : test.skip)(
    'a synthesized chart packaged, pushed and pulled back by digest renders from the unpacked archive',
    async () => {
      const dist = join(work, 'synth');
      const repo = join(work, 'synth-repo');
      expect(cli(['synth', '--output', dist]).status).toBe(0);
      const packaged = cli(['package', 'web-app', '--output', dist, '--destination', repo, '--push', `oci://${registry.host}/synth`]);
      expect(packaged.status).toBe(0);
      const line = packaged.stdout.split('\n').find((text) => text.includes('web-app-0.1.0.tgz: oci://'))!;
      const digest = /sha256:[0-9a-f]{64}/.exec(line)![0];
      const pulled = await pullChart(`oci://${registry.host}/synth/web-app@${digest}`, { env: NO_CREDENTIALS });
      expect(pulled.archive.equals(readFileSync(join(repo, 'web-app-0.1.0.tgz')))).toBe(true);
      const unpacked = join(work, 'unpacked');
      mkdirSync(unpacked);
      writeFileSync(join(work, 'pulled.tgz'), pulled.archive);
      await extract({ file: join(work, 'pulled.tgz'), cwd: unpacked });
      const objects = parseManifests(new HelmRunner(helmBinary!).template(join(unpacked, 'web-app'), { release: 'shop' }));
      expect(objects.map((object) => object.kind)).toContain('Deployment');
    },
  );
  if (!HelmRunner.find()) reportMissingTool('no helm or HELM_BIN: the render of a pulled chart is skipped');

  test('pull refuses a manifest that is not a Helm chart, and a missing tag, naming the reference', async () => {
    await expect(pullChart(`oci://${registry.host}/charts/shop:9.9.9`, { env: NO_CREDENTIALS })).rejects.toThrow(
      /has no manifest 9\.9\.9 in charts\/shop/,
    );
    await expect(pullChart(`oci://${registry.host}/charts/shop`, { env: NO_CREDENTIALS })).rejects.toThrow(/names neither a tag/);
  });
});

describeWithRegistry('OCI push with Basic authentication (htpasswd)', () => {
  let work: string;
  let registry: TestRegistry;
  beforeAll(async () => {
    work = tempFolder('helm-synth-oci-basic-');
    const htpasswd = join(work, 'htpasswd');
    writeFileSync(htpasswd, `pusher:${hashSync('s3cret', 4)}\n`);
    registry = await TestRegistry.start(join(work, 'registry'), { kind: 'htpasswd', file: htpasswd });
  });
  afterAll(() => {
    registry?.stop();
    removeFolder(work);
  });

  test('without credentials the push fails naming what to set; with the environment or a Docker config file it succeeds', async () => {
    const archive = chartArchive(join(work, 'a'), '1.0.0', 'basic');
    await expect(pushChart(archive, `oci://${registry.host}/private`, 'a.tgz', { env: NO_CREDENTIALS })).rejects.toThrow(
      /asks for a user name and password \(no credentials found: set HELM_SYNTH_REGISTRY_USERNAME and HELM_SYNTH_REGISTRY_PASSWORD/,
    );
    await expect(
      pushChart(archive, `oci://${registry.host}/private`, 'a.tgz', {
        env: { ...NO_CREDENTIALS, HELM_SYNTH_REGISTRY_USERNAME: 'pusher', HELM_SYNTH_REGISTRY_PASSWORD: 'wrong' },
      }),
    ).rejects.toThrow(/answered 401.*credentials from HELM_SYNTH_REGISTRY_USERNAME\/HELM_SYNTH_REGISTRY_PASSWORD were refused/);
    const pushed = await pushChart(archive, `oci://${registry.host}/private`, 'a.tgz', {
      env: { ...NO_CREDENTIALS, HELM_SYNTH_REGISTRY_USERNAME: 'pusher', HELM_SYNTH_REGISTRY_PASSWORD: 's3cret' },
    });
    expect(pushed.status).toBe(PushStatus.PUSHED);

    const dockerConfig = join(work, 'docker');
    mkdirSync(dockerConfig);
    const auth = Buffer.from('pusher:s3cret').toString('base64');
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [`http://${registry.host}`]: { auth } } }));
    const env = { ...NO_CREDENTIALS, DOCKER_CONFIG: dockerConfig };
    const pulled = await pullChart(`oci://${registry.host}/private/shop@${pushed.digest}`, { env });
    expect(pulled.archive.equals(archive)).toBe(true);
    const raw = skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--creds',
      'pusher:s3cret',
      `docker://${registry.host}/private/shop:1.0.0`,
    ]);
    expect(sha256(Buffer.from(raw))).toBe(pushed.digest);

    const file = join(work, 'shop-1.0.1.tgz');
    writeFileSync(file, chartArchive(join(work, 'b'), '1.0.1', 'basic-cli'));
    const result = cli(['push', file, `oci://${registry.host}/private`], { DOCKER_CONFIG: dockerConfig });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/shop:1\.0\.1 sha256:[0-9a-f]{64} \(pushed\)/);
  });
});

const HAVE_OPENSSL = hasCommand('openssl');
if (HAVE_TOOLS && !HAVE_OPENSSL)
  reportMissingTool('openssl not installed: the Bearer token test (it makes the token signing certificate) skipped');
const describeWithTokenAuth = HAVE_TOOLS && HAVE_OPENSSL ? describe : describe.skip;

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

describeWithTokenAuth('OCI push with the Bearer token flow (docker-registry auth.token, a token service in the test)', () => {
  let work: string;
  let registry: TestRegistry;
  let tokenServer: Server;
  const tokenRequests: Array<{ scope: string[]; service: string | null; user: string | undefined }> = [];

  beforeAll(async () => {
    work = tempFolder('helm-synth-oci-token-');
    const keyFile = join(work, 'token.key');
    const certFile = join(work, 'token.crt');
    const openssl = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        '/CN=helm-synth-token-test',
      ],
      { encoding: 'utf8' },
    );
    if (openssl.status !== 0) throw new Error(openssl.stderr);
    const privateKey = createPrivateKey(readFileSync(keyFile));
    const certificate = new X509Certificate(readFileSync(certFile)).raw.toString('base64');
    const port = await freePort();
    const realm = `http://127.0.0.1:${port}/token`;
    tokenServer = createServer((request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? '/', realm);
      const header = request.headers.authorization ?? '';
      const user = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString() : undefined;
      const scope = url.searchParams.getAll('scope');
      tokenRequests.push({ scope, service: url.searchParams.get('service'), user });
      if (user !== 'robot:t0ken') {
        response.writeHead(401).end();
        return;
      }
      const access = scope.map((item) => {
        const [type, name, actions] = item.split(':');
        return { type, name, actions: actions.split(',') };
      });
      const now = Math.floor(Date.now() / 1000);
      const headerPart = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [certificate] }));
      const claims = base64url(
        JSON.stringify({
          iss: 'helm-synth-test',
          sub: 'robot',
          aud: 'test-registry',
          exp: now + 300,
          nbf: now - 10,
          iat: now,
          jti: String(now),
          access,
        }),
      );
      const signature = base64url(sign('sha256', Buffer.from(`${headerPart}.${claims}`), privateKey));
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: `${headerPart}.${claims}.${signature}` }));
    });
    await new Promise<void>((resolve) => tokenServer.listen(port, '127.0.0.1', resolve));
    registry = await TestRegistry.start(join(work, 'registry'), {
      kind: 'token',
      realm,
      service: 'test-registry',
      issuer: 'helm-synth-test',
      rootCertBundle: certFile,
    });
  });
  afterAll(async () => {
    registry?.stop();
    await new Promise((resolve) => tokenServer?.close(resolve));
    removeFolder(work);
  });

  test('a 401 Bearer challenge is answered with a token asked for with the credentials, scoped pull,push', async () => {
    const archive = chartArchive(join(work, 'a'), '5.0.0', 'bearer');
    const env = { ...NO_CREDENTIALS, HELM_SYNTH_REGISTRY_USERNAME: 'robot', HELM_SYNTH_REGISTRY_PASSWORD: 't0ken' };
    const pushed = await pushChart(archive, `oci://${registry.host}/bearer`, 'a.tgz', { env });
    expect(pushed.status).toBe(PushStatus.PUSHED);
    expect(tokenRequests.length).toBeGreaterThan(0);
    expect(tokenRequests[0]).toMatchObject({ service: 'test-registry', user: 'robot:t0ken' });
    expect(tokenRequests[0].scope).toContain('repository:bearer/shop:pull,push');
    const pulled = await pullChart(`oci://${registry.host}/bearer/shop@${pushed.digest}`, { env });
    expect(pulled.archive.equals(archive)).toBe(true);

    await expect(
      pushChart(archive, `oci://${registry.host}/bearer`, 'a.tgz', {
        env: { ...NO_CREDENTIALS, HELM_SYNTH_REGISTRY_USERNAME: 'robot', HELM_SYNTH_REGISTRY_PASSWORD: 'nope' },
      }),
    ).rejects.toThrow(/token service http:\/\/127\.0\.0\.1:\d+\/token answered 401/);
  });
});

const describeWithRegistryAndGpg = HAVE_TOOLS && hasCommand('gpg') ? describe : describe.skip;

describeWithRegistryAndGpg('package --sign --key --push: signed archives pushed with their provenance layer', () => {
  let work: string;
  let registry: TestRegistry;
  beforeAll(async () => {
    work = tempFolder('helm-synth-oci-signed-');
    registry = await TestRegistry.start(join(work, 'registry'));
  });
  afterAll(() => {
    registry?.stop();
    removeFolder(work);
  });

  test('the pushed manifest has the chart and provenance layers; the pulled .prov is the file written and gpg accepts it', async () => {
    const gnupgHome = join(work, 'gnupg');
    mkdirSync(gnupgHome, { mode: 0o700 });
    const gpg = (args: string[]) =>
      spawnSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
        env: { ...process.env, GNUPGHOME: gnupgHome },
      });
    expect(gpg(['--quick-gen-key', 'Pusher <pusher@example.com>', 'default', 'default', 'never']).status).toBe(0);
    writeFileSync(join(work, 'key.gpg'), gpg(['--export-secret-keys', 'pusher@example.com']).stdout);
    const dist = join(work, 'dist');
    writeFixtureChart(dist, { name: 'shop', version: '7.0.0', metadata: { description: 'Signed shop' } });
    const repo = join(work, 'repo');
    const result = cli([
      'package',
      '--output',
      dist,
      '--destination',
      repo,
      '--sign',
      '--key',
      join(work, 'key.gpg'),
      '--push',
      `oci://${registry.host}/signed`,
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const digest = new RegExp(
      `shop-7\\.0\\.0\\.tgz: oci://${registry.host.replace(/\./g, '\\.')}/signed/shop:7\\.0\\.0 (sha256:[0-9a-f]{64}) \\(pushed\\)`,
    ).exec(result.stdout)?.[1];
    expect(digest).toBeDefined();
    const manifest = JSON.parse(skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/signed/shop:7.0.0`]));
    expect(manifest.layers.map((layer: { mediaType: string }) => layer.mediaType).sort()).toEqual([
      'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
      'application/vnd.cncf.helm.chart.provenance.v1.prov',
    ]);
    const pulled = await pullChart(`oci://${registry.host}/signed/shop@${digest}`, { env: NO_CREDENTIALS });
    expect(pulled.archive.equals(readFileSync(join(repo, 'shop-7.0.0.tgz')))).toBe(true);
    expect(pulled.provenance?.equals(readFileSync(join(repo, 'shop-7.0.0.tgz.prov')))).toBe(true);
    const pulledProv = join(work, 'pulled.prov');
    writeFileSync(pulledProv, pulled.provenance!);
    const checked = spawnSync('gpg', ['--batch', '--verify', pulledProv], {
      env: { ...process.env, GNUPGHOME: gnupgHome },
      encoding: 'utf8',
    });
    expect(checked.stderr).toContain('Good signature from "Pusher <pusher@example.com>"');
  });
});

describeWithRegistryAndGpg('push and verify take chart names, as package does', () => {
  let work: string;
  let registry: TestRegistry;
  let gnupgHome: string;
  beforeAll(async () => {
    work = tempFolder('helm-synth-oci-names-');
    registry = await TestRegistry.start(join(work, 'registry'));
    gnupgHome = join(work, 'gnupg');
    mkdirSync(gnupgHome, { mode: 0o700 });
  });
  afterAll(() => {
    registry?.stop();
    removeFolder(work);
  });

  const pushedTags = (path: string) =>
    spawnSync('skopeo', ['list-tags', '--tls-verify=false', `docker://${registry.host}/${path}`], { encoding: 'utf8' });

  test('a chart name is its archive in --destination; no name is every chart; an archive path still works', () => {
    const gpg = (args: string[]) =>
      spawnSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
        env: { ...process.env, GNUPGHOME: gnupgHome },
      });
    expect(gpg(['--quick-gen-key', 'Names <names@example.com>', 'default', 'default', 'never']).status).toBe(0);
    writeFileSync(join(work, 'key.gpg'), gpg(['--export-secret-keys', 'names@example.com']).stdout);
    writeFileSync(join(work, 'pub.gpg'), gpg(['--export', 'names@example.com']).stdout);
    const dist = join(work, 'dist');
    writeFixtureChart(dist, { name: 'shop', version: '7.0.0' });
    writeFixtureChart(dist, { name: 'cart', version: '2.1.0+build.1' });
    const repo = join(work, 'repo');
    const packaged = cli(['package', '--output', dist, '--destination', repo, '--sign', '--key', join(work, 'key.gpg')]);
    expect(packaged.stderr).toBe('');

    const verifyOne = cli(['verify', 'shop', '--output', dist, '--destination', repo, '--keyring', join(work, 'pub.gpg')]);
    expect(verifyOne.stderr).toBe('');
    expect(verifyOne.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^.*\/repo\/shop-7\.0\.0\.tgz: signed by Names/)]);
    const verifyAll = cli(['verify', '--output', dist, '-d', repo, '--keyring', join(work, 'pub.gpg')]);
    expect(verifyAll.status).toBe(0);
    expect(verifyAll.stdout).toMatch(/cart-2\.1\.0\+build\.1\.tgz: signed by Names[^\n]*\n[^\n]*shop-7\.0\.0\.tgz: signed by Names/);
    writeFileSync(
      join(repo, 'cart-2.1.0+build.1.tgz'),
      Buffer.concat([readFileSync(join(repo, 'cart-2.1.0+build.1.tgz')), Buffer.from('x')]),
    );
    const verifyChanged = cli(['verify', 'cart', '--output', dist, '-d', repo, '--keyring', join(work, 'pub.gpg')]);
    expect(verifyChanged.status).toBe(1);
    expect(verifyChanged.stderr).toContain('does not match its provenance file');
    expect(cli(['package', 'cart', '--output', dist, '--destination', join(work, 'repo2')]).status).toBe(0);

    const pushOne = cli(['push', 'shop', '--output', dist, '--destination', repo, `oci://${registry.host}/named`]);
    expect(pushOne.stderr).toBe('');
    expect(pushOne.stdout).toMatch(/shop-7\.0\.0\.tgz: oci:\/\/[^ ]+\/named\/shop:7\.0\.0 sha256:[0-9a-f]{64} \(pushed\)/);
    expect(pushedTags('named/cart').status).not.toBe(0);
    const pushAll = cli(['push', `oci://${registry.host}/named`, '--output', dist, '-d', join(work, 'repo2')]);
    expect(pushAll.stderr).toContain('run helm-synth package shop --destination');
    expect(pushAll.status).toBe(1);
    const pushPath = cli(['push', join(work, 'repo2', 'cart-2.1.0+build.1.tgz'), `oci://${registry.host}/named`]);
    expect(pushPath.stderr).toBe('');
    expect(pushPath.stdout).toContain('/named/cart:2.1.0_build.1');
    expect(JSON.parse(pushedTags('named/cart').stdout).Tags).toEqual(['2.1.0_build.1']);
  });

  test('a name that is no chart of the output folder is an error listing the charts', () => {
    const dist = join(work, 'dist-unknown');
    writeFixtureChart(dist, { name: 'shop', version: '7.0.0' });
    for (const args of [
      ['verify', 'shpo', '--output', dist],
      ['push', 'shpo', '--output', dist, `oci://${registry.host}/named`],
    ]) {
      const result = cli(args);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`no chart shpo in ${dist}; there are shop`);
    }
  });
});
