import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Where the running helm-synth came from, and how a new project should depend on it. */
export interface InstallSource {
  /** The `dependencies` entry for helm-synth in a new project's package.json. */
  readonly spec: string;
  /** Commands to run before `npm install` (a checkout must be packed first), from the new project's folder. @default none */
  readonly before?: readonly string[];
  /** Where the spec comes from, for the message `init` prints. */
  readonly origin: string;
}

/**
 * How a project made by `helm-synth init` should depend on the helm-synth that runs: the tarball or
 * git spec it was installed from (read from the package.json of the npx cache folder or of the
 * project that installed it), a tarball packed from the checkout it runs from, else the registry
 * range `^<version>`.
 *
 * @param packageRoot the folder of the running helm-synth's package.json
 * @param projectDir the new project's folder
 * @param version the running helm-synth's version
 */
export function installSource(packageRoot: string, projectDir: string, version: string): InstallSource {
  if (isCheckout(packageRoot)) {
    const tarball = join(projectDir, `helm-synth-${version}.tgz`);
    return {
      spec: `file:./${basename(tarball)}`,
      before: [`npm pack ${shellQuote(relativeTo(projectDir, packageRoot))} --pack-destination .`],
      origin: `the checkout ${packageRoot} (packed into the project)`,
    };
  }
  const installer = installingProject(packageRoot);
  const spec = installer && dependencySpec(installer);
  if (installer && spec) {
    const local = /^file:(.+)$/.exec(spec);
    if (local) {
      const target = resolve(installer, local[1]);
      if (existsSync(target)) return { spec: `file:${relativeTo(projectDir, target)}`, origin: target };
    } else if (!/^[\^~<>=\d*x]/.test(spec) && spec !== 'latest') {
      return { spec, origin: spec };
    }
  }
  return { spec: `^${version}`, origin: 'the npm registry' };
}

/** A git checkout or source folder of helm-synth (not a packed package): it has its sources beside the build. */
function isCheckout(packageRoot: string): boolean {
  return existsSync(join(packageRoot, 'src', 'cli', 'main.ts')) && existsSync(join(packageRoot, 'tsconfig.json'));
}

/** The folder whose package.json made npm install helm-synth here: `<dir>/node_modules/helm-synth` → `<dir>`. */
function installingProject(packageRoot: string): string | undefined {
  const parent = dirname(packageRoot);
  if (basename(packageRoot) !== 'helm-synth' || basename(parent) !== 'node_modules') return undefined;
  const project = dirname(parent);
  return existsSync(join(project, 'package.json')) ? project : undefined;
}

function dependencySpec(project: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    const spec = json.dependencies?.['helm-synth'] ?? json.devDependencies?.['helm-synth'];
    return typeof spec === 'string' ? spec : undefined;
  } catch {
    return undefined;
  }
}

/** A path from the project folder, `./`-prefixed when relative, with forward slashes. */
function relativeTo(projectDir: string, target: string): string {
  const path = relative(resolve(projectDir), target);
  if (isAbsolute(path)) return path.split(sep).join('/');
  const posix = path.split(sep).join('/');
  return posix.startsWith('.') ? posix : `./${posix}`;
}

/** A word for a POSIX shell, quoted only when it needs to be. */
export function shellQuote(path: string): string {
  return /^[\w./@:-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
