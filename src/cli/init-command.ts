import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { HelmSynthError } from '../errors';
import { projectFiles } from './init-templates';
import { installSource, shellQuote } from './install-source';
import { readPackageInfo } from './package-info';

const USAGE = 'usage: helm-synth init [DIR]   write a new project (package.json, cdk8s.yaml, charts/, test/) into DIR (default: .)';

/**
 * `helm-synth init [DIR]`: writes a new project into DIR (created if missing): package.json with
 * helm-synth and its peer dependencies, tsconfig.json, cdk8s.yaml, one chart, a test, .gitignore
 * and a README. Refuses a DIR that is a file or holds anything but `.git`, so nothing is overwritten.
 */
export function runInit(args: readonly string[]): number {
  if (args.length > 1 || args.some((arg) => arg.startsWith('-'))) {
    console.error(USAGE);
    return 2;
  }
  const dir = resolve(args[0] ?? '.');
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new HelmSynthError(dir, 'is a file; helm-synth init writes a new project into an empty folder');
    const entries = readdirSync(dir).filter((entry) => entry !== '.git');
    if (entries.length) {
      const shown = entries.sort().slice(0, 5).join(', ') + (entries.length > 5 ? ', ...' : '');
      throw new HelmSynthError(dir, `is not empty (${shown}); helm-synth init writes a new project only into an empty folder`);
    }
  }
  const info = readPackageInfo();
  const source = installSource(info.root, dir, info.version);
  const files = projectFiles(packageName(dir), info, source.spec);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content, { flag: 'wx' });
  }
  const shown = relative(process.cwd(), dir) || '.';
  console.log(`wrote a helm-synth project to ${shown}: ${[...files.keys()].join(', ')}`);
  console.log(`helm-synth dependency: ${source.spec} (from ${source.origin})`);
  const steps = [
    ...(shown === '.' ? [] : [`cd ${shellQuote(shown)}`]),
    ...(source.before ?? []),
    'npm install',
    'npm run synth',
    'npm test',
  ];
  console.log(`next: ${steps.join(' && ')}`);
  return 0;
}

/** An npm package name from the folder's name: lower case, other characters as `-`. */
function packageName(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '');
  return name || 'helm-charts';
}
