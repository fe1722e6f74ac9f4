import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HelmSynthError } from '../errors';

/**
 * The peer packages helm-synth shares objects with. Two copies of cdk8s or of constructs break
 * synthesis inside those packages (their classes read each other's private fields); two copies of
 * cdk8s-plus-27 work, because helm-synth recognizes its objects by shape.
 */
const SINGLE_COPY_PACKAGES = ['cdk8s', 'constructs'] as const;

/**
 * Fails, naming both folders, when the app at `appFile` loads another copy of cdk8s or constructs
 * than helm-synth does (a linked helm-synth folder with its own node_modules, or mismatched
 * versions npm could not dedupe), instead of a TypeError deep inside them later.
 */
export function checkPackageCopies(appFile: string): void {
  const copies: string[] = [];
  for (const name of SINGLE_COPY_PACKAGES) {
    const ours = packageRoot(name, __dirname);
    const theirs = packageRoot(name, dirname(appFile));
    if (ours && theirs && ours !== theirs) copies.push(`${name}: ${describe(theirs)} for the app, ${describe(ours)} for helm-synth`);
  }
  if (copies.length === 0) return;
  const names = copies.map((copy) => copy.slice(0, copy.indexOf(':'))).join(' and ');
  throw new HelmSynthError(
    appFile,
    `two copies of ${names} are installed (${copies.join('; ')}); dedupe them: the app and helm-synth must ` +
      'load one copy (npm dedupe; install helm-synth from the registry or a tarball rather than a linked folder)',
  );
}

function packageRoot(name: string, from: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`, { paths: [from] }));
  } catch {
    return undefined;
  }
}

function describe(root: string): string {
  try {
    return `${root} ${(JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version?: string }).version ?? ''}`.trim();
  } catch {
    return root;
  }
}
