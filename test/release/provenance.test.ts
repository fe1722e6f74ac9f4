import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  goMap,
  GoValue,
  goYaml,
  clearSignedText,
  packChart,
  provenanceMessage,
  readChartDirectory,
  signChartFile,
  WriteStatus,
  verifyChart,
} from '../../src/release/internal';
import { removeFolder, tempFolder, writeFixtureChart } from '../support/chart-fixture';
import { hasCommand } from '../support/oci-registry';
import { reportMissingTool } from '../support/tools';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'src', 'cli', 'main.js');

function hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('provenance message (what Helm clear-signs)', () => {
  let work: string;
  beforeAll(() => {
    work = tempFolder('helm-synth-prov-');
  });
  afterAll(() => removeFolder(work));

  test("has Helm's layout: metadata as Helm marshals it, a ... line, files: name: sha256:<hex> (Helm's own testdata chart)", () => {
    const dir = join(work, 'hashtest');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Chart.yaml'), 'description: Test chart versioning\nname: hashtest\nversion: 1.2.3\n');
    const archive = packChart(readChartDirectory(dir));
    expect(provenanceMessage(archive, 'hashtest-1.2.3.tgz', dir)).toBe(
      `apiVersion: v1\ndescription: Test chart versioning\nname: hashtest\nversion: 1.2.3\n\n...\nfiles:\n  hashtest-1.2.3.tgz: sha256:${hex(archive)}\n`,
    );
  });

  test('keys are sorted as go-yaml v2 sorts them, lists are not indented, YAML 1.1 look-alike strings are quoted, text fields sanitized', () => {
    const dir = writeFixtureChart(work, { name: 'web', version: '1.0.0' });
    writeFileSync(
      join(dir, 'Chart.yaml'),
      [
        'apiVersion: v2',
        'name: web',
        'version: 1.0.0',
        'type: application',
        'appVersion: "1.10"',
        'description: "tabs\\tand\\nnew lines\\a"',
        'keywords: ["yes", "on"]',
        'annotations: { b10: x, "b9": "y", a.b/c: z, a-b: w }',
        'maintainers: [{ name: Ops, email: ops@example.com, unknown: dropped }]',
        '',
      ].join('\n'),
    );
    const message = provenanceMessage(packChart(readChartDirectory(dir)), 'web-1.0.0.tgz', dir);
    expect(message.split('\n...\n')[0]).toBe(
      [
        'annotations:',
        '  a-b: w',
        '  a.b/c: z',
        '  b9: "y"',
        '  b10: x',
        'apiVersion: v2',
        'appVersion: "1.10"',
        'description: tabs and new lines',
        'keywords:',
        '- "yes"',
        '- "on"',
        'maintainers:',
        '- email: ops@example.com',
        '  name: Ops',
        'name: web',
        'type: application',
        'version: 1.0.0',
        '',
      ].join('\n'),
    );
  });

  test('long plain values break as go-yaml v2 breaks them (first single space past column 80) and read back unchanged', () => {
    const long =
      'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.';
    expect(
      goYaml({
        entries: [
          ['description', long],
          ['maintainers', [{ entries: [['name', long]] }]],
        ],
      }),
    ).toBe(
      [
        'description: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod',
        '  tempor incididunt ut labore et dolore magna aliqua.',
        'maintainers:',
        '- name: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor',
        '    incididunt ut labore et dolore magna aliqua.',
        '',
      ].join('\n'),
    );
    expect(
      goYaml({
        entries: [
          ['a', 'x: y'],
          ['b', '1.10'],
          ['c', 'on'],
          ['d', '#tag'],
          ['e', ' lead'],
          ['f', '2024-01-01'],
          ['g', ''],
        ],
      }),
    ).toBe(`a: 'x: y'\nb: "1.10"\nc: "on"\nd: '#tag'\ne: ' lead'\nf: "2024-01-01"\ng: ""\n`);
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const words = ['a', 'bb', 'ccc', 'dddddddddd', 'e:f', 'g#h', '  ', 'yes', '1.0', 'x'.repeat(90), 'é', '-', ':'];
    for (let i = 0; i < 200; i++) {
      const text = Array.from({ length: Math.floor(random() * 40) }, () => words[Math.floor(random() * words.length)]).join(' ');
      const value: GoValue = {
        entries: [
          ['k', text],
          ['list', [text, { entries: [['n', text]] }]],
          ['map', goMap([['a b', text]])],
        ],
      };
      expect(parse(goYaml(value), { version: '1.1' })).toEqual({ k: text, list: [text, { n: text }], map: { 'a b': text } });
    }
  });

  test('clearSignedText undoes dash-escaping and drops the line break before the signature', () => {
    const text = clearSignedText(
      '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n- - a\nb\n-----BEGIN PGP SIGNATURE-----\n\nx\n-----END PGP SIGNATURE-----\n',
      'p',
    );
    expect(text).toBe('- a\nb');
  });
});

const HAVE_GPG = hasCommand('gpg');
if (!HAVE_GPG) reportMissingTool('gpg not installed (apt-get install gnupg): provenance signing tests skipped');
const describeWithGpg = HAVE_GPG ? describe : describe.skip;

describeWithGpg('package --sign and helm-synth verify, checked with real gpg', () => {
  let work: string;
  let gnupgHome: string;
  const gpg = (args: string[], input?: string) => {
    const result = spawnSync('gpg', ['--batch', '--yes', '--pinentry-mode', 'loopback', ...args], {
      env: { ...process.env, GNUPGHOME: gnupgHome },
      input,
    });
    if (result.status !== 0) throw new Error(`gpg ${args.join(' ')}: ${result.stderr.toString()}`);
    return result;
  };
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GNUPGHOME: gnupgHome, ...env } });

  beforeAll(() => {
    work = tempFolder('helm-synth-sign-');
    gnupgHome = join(work, 'gnupg');
    mkdirSync(gnupgHome, { mode: 0o700 });
    gpg(['--passphrase', '', '--quick-gen-key', 'Chart Signer <signer@example.com>', 'default', 'default', 'never']);
    gpg(['--passphrase', '', '--quick-gen-key', 'Somebody Else <else@example.com>', 'default', 'default', 'never']);
    gpg(['--passphrase', 'pass phrase', '--quick-gen-key', 'Locked Signer <locked@example.com>', 'default', 'default', 'never']);
    writeFileSync(join(work, 'signer.gpg'), gpg(['--export-secret-keys', 'signer@example.com']).stdout);
    writeFileSync(join(work, 'signer.asc'), gpg(['--armor', '--export-secret-keys', 'signer@example.com']).stdout);
    writeFileSync(join(work, 'signer.pub'), gpg(['--export', 'signer@example.com']).stdout);
    writeFileSync(join(work, 'else.pub'), gpg(['--armor', '--export', 'else@example.com']).stdout);
    writeFileSync(join(work, 'locked.gpg'), gpg(['--passphrase', 'pass phrase', '--export-secret-keys', 'locked@example.com']).stdout);
    const dist = join(work, 'dist');
    writeFixtureChart(dist, { name: 'shop', version: '1.0.0', metadata: { description: 'Shop' }, values: { replicas: 1 } });
    writeFixtureChart(dist, { name: 'cart', version: '0.2.0', metadata: { maintainers: [{ name: 'Ops' }] } });
  });
  afterAll(() => removeFolder(work));

  test('package --sign --key writes a .prov per archive that gpg --verify accepts and helm-synth verify accepts', () => {
    const repo = join(work, 'repo');
    const result = cli(['package', '--output', join(work, 'dist'), '--destination', repo, '--sign', '--key', join(work, 'signer.gpg')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/repo\/shop-1\.0\.0\.tgz\.prov: signed by [0-9A-F]{40} \(written\)/);
    for (const archive of ['cart-0.2.0.tgz', 'shop-1.0.0.tgz']) {
      const prov = readFileSync(join(repo, `${archive}.prov`), 'utf8');
      expect(prov).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n/);
      expect(prov).toContain(
        `\n...\nfiles:\n  ${archive}: sha256:${hex(readFileSync(join(repo, archive)))}\n-----BEGIN PGP SIGNATURE-----\n`,
      );
      const checked = spawnSync('gpg', ['--batch', '--verify', join(repo, `${archive}.prov`)], {
        env: { ...process.env, GNUPGHOME: gnupgHome },
        encoding: 'utf8',
      });
      expect(checked.stderr).toContain('Good signature from "Chart Signer <signer@example.com>"');
      expect(checked.status).toBe(0);
    }
    const verified = cli(['verify', join(repo, 'shop-1.0.0.tgz'), join(repo, 'cart-0.2.0.tgz'), '--keyring', join(work, 'signer.pub')]);
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(
      /shop-1\.0\.0\.tgz: signed by Chart Signer <signer@example.com> \([0-9A-F]{40}\), sha256:[0-9a-f]{64}\n/,
    );

    const rerun = cli(['package', '--output', join(work, 'dist'), '--destination', repo, '--sign', '--key', join(work, 'signer.asc')]);
    expect(rerun.stdout).toMatch(/shop-1\.0\.0\.tgz\.prov: signed by [0-9A-F]{40} \(unchanged\)/);
  });

  test('a changed archive, a signature by another key, a missing .prov and a tampered message each fail verify in one line', async () => {
    const folder = join(work, 'checks');
    mkdirSync(folder, { recursive: true });
    const archive = packChart(readChartDirectory(join(work, 'dist', 'shop')));
    const file = join(folder, 'shop-1.0.0.tgz');
    writeFileSync(file, archive);
    await signChartFile(file, join(work, 'signer.gpg'));

    const other = cli(['verify', file, '--keyring', join(work, 'else.pub')]);
    expect(other.status).toBe(1);
    expect(other.stderr.trim().split('\n')).toHaveLength(1);
    expect(other.stderr).toContain('signature does not verify with');

    const changed = Buffer.from(archive);
    changed[changed.length - 10] ^= 1;
    writeFileSync(file, changed);
    const result = cli(['verify', file, '--keyring', join(work, 'signer.pub')]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`sha256 does not match its provenance file: the archive is sha256:${hex(changed)}`);

    writeFileSync(file, archive);
    const prov = readFileSync(`${file}.prov`, 'utf8');
    writeFileSync(`${file}.prov`, prov.replace('name: shop', 'name: shoq'));
    await expect(verifyChart(file, join(work, 'signer.pub'))).rejects.toThrow(/signature does not verify/);

    const unsigned = join(folder, 'cart-0.2.0.tgz');
    writeFileSync(unsigned, archive);
    const missing = cli(['verify', unsigned, '--keyring', join(work, 'signer.pub')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('has no provenance file');
  });

  test('a passphrase-protected key needs HELM_SYNTH_SIGNING_PASSPHRASE; SOURCE_DATE_EPOCH makes the .prov reproducible', async () => {
    const folder = join(work, 'locked');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'shop-1.0.0.tgz');
    writeFileSync(file, packChart(readChartDirectory(join(work, 'dist', 'shop'))));
    await expect(signChartFile(file, join(work, 'locked.gpg'), { env: {} })).rejects.toThrow(
      /is protected by a passphrase: set HELM_SYNTH_SIGNING_PASSPHRASE/,
    );
    await expect(signChartFile(file, join(work, 'locked.gpg'), { env: { HELM_SYNTH_SIGNING_PASSPHRASE: 'wrong' } })).rejects.toThrow(
      /cannot be unlocked/,
    );
    const env = { HELM_SYNTH_SIGNING_PASSPHRASE: 'pass phrase', SOURCE_DATE_EPOCH: '1700000000' };
    expect((await signChartFile(file, join(work, 'locked.gpg'), { env })).status).toBe(WriteStatus.WRITTEN);
    const first = readFileSync(`${file}.prov`);
    writeFileSync(`${file}.prov`, 'stale');
    await signChartFile(file, join(work, 'locked.gpg'), { env });
    expect(readFileSync(`${file}.prov`).equals(first)).toBe(true);
    const checked = spawnSync('gpg', ['--batch', '--verify', `${file}.prov`], {
      env: { ...process.env, GNUPGHOME: gnupgHome },
      encoding: 'utf8',
    });
    expect(checked.stderr).toContain('Good signature from "Locked Signer <locked@example.com>"');
  });

  test('package refuses --sign without --key and --key without --sign before writing anything', () => {
    const repo = join(work, 'nothing');
    const noKey = cli(['package', '--output', join(work, 'dist'), '--destination', repo, '--sign']);
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toContain('--sign needs --key FILE');
    const noSign = cli(['package', '--output', join(work, 'dist'), '--destination', repo, '--key', join(work, 'signer.gpg')]);
    expect(noSign.stderr).toContain('--key is only used with --sign');
    const badTarget = cli(['package', '--output', join(work, 'dist'), '--destination', repo, '--push', 'https://example.com/charts']);
    expect(badTarget.stderr).toContain('an OCI reference starts with oci://');
    expect(spawnSync('ls', [repo]).status).not.toBe(0);
  });
});
