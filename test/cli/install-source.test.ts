import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installSource, shellQuote } from '../../src/cli/install-source';

describe('installSource: the dependency spec helm-synth init writes is the one helm-synth was installed from', () => {
  const work = mkdtempSync(join(tmpdir(), 'helm-synth-install-source-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const installed = (project: string, spec: string | undefined): string => {
    const root = join(project, 'node_modules', 'helm-synth');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'helm-synth', version: '0.1.0' }));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: spec === undefined ? {} : { 'helm-synth': spec } }));
    return root;
  };

  test('npx --package ./helm-synth-0.1.0.tgz: the tarball the npx cache folder names, relative to the new project', () => {
    writeFileSync(join(work, 'helm-synth-0.1.0.tgz'), '');
    const cache = join(work, 'home', '.npm', '_npx', '78cc9c89c1fa101e');
    const root = installed(cache, 'file:../../../../helm-synth-0.1.0.tgz');
    expect(installSource(root, join(work, 'my-charts'), '0.1.0')).toEqual({
      spec: 'file:../helm-synth-0.1.0.tgz',
      origin: join(work, 'helm-synth-0.1.0.tgz'),
    });
    expect(installSource(root, join(work, 'a', 'b'), '0.1.0').spec).toBe('file:../../helm-synth-0.1.0.tgz');
  });

  test('a project that installed a tarball or a git repository passes its spec on', () => {
    mkdirSync(join(work, 'team', 'vendor'), { recursive: true });
    writeFileSync(join(work, 'team', 'vendor', 'helm-synth-0.2.0.tgz'), '');
    const fromTarball = installed(join(work, 'team'), 'file:vendor/helm-synth-0.2.0.tgz');
    expect(installSource(fromTarball, join(work, 'team', 'charts'), '0.2.0').spec).toBe('file:../vendor/helm-synth-0.2.0.tgz');
    const fromGit = installed(join(work, 'git-user'), 'git+https://example.com/helm-synth.git#v0.2.0');
    expect(installSource(fromGit, join(work, 'x'), '0.2.0').spec).toBe('git+https://example.com/helm-synth.git#v0.2.0');
  });

  test('from the registry (a range, or no spec to read) the range of the running version', () => {
    expect(installSource(installed(join(work, 'reg'), '^0.1.0'), join(work, 'y'), '0.1.3')).toEqual({
      spec: '^0.1.3',
      origin: 'the npm registry',
    });
    expect(installSource(installed(join(work, 'none'), undefined), join(work, 'y'), '0.1.3').spec).toBe('^0.1.3');
    const unpacked = join(work, 'unpacked', 'package');
    mkdirSync(unpacked, { recursive: true });
    expect(installSource(unpacked, join(work, 'y'), '0.1.3').spec).toBe('^0.1.3');
    const gone = installed(join(work, 'gone'), 'file:missing.tgz');
    expect(installSource(gone, join(work, 'y'), '0.1.3').spec).toBe('^0.1.3');
  });

  test('a checkout is packed into the project first: the command is printed and the spec names its tarball', () => {
    const checkout = join(work, 'src checkout');
    mkdirSync(join(checkout, 'src', 'cli'), { recursive: true });
    writeFileSync(join(checkout, 'src', 'cli', 'main.ts'), '');
    writeFileSync(join(checkout, 'tsconfig.json'), '{}');
    expect(installSource(checkout, join(work, 'proj'), '0.1.0')).toEqual({
      spec: 'file:./helm-synth-0.1.0.tgz',
      before: ["npm pack '../src checkout' --pack-destination ."],
      origin: `the checkout ${checkout} (packed into the project)`,
    });
  });

  test('shellQuote quotes only what needs it', () => {
    expect(shellQuote('../a/b-1.tgz')).toBe('../a/b-1.tgz');
    expect(shellQuote("it's here")).toBe("'it'\\''s here'");
  });
});
