import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What the CLI reads from helm-synth's own package.json. */
export interface PackageInfo {
  /** The folder of helm-synth's package.json. */
  readonly root: string;
  /** helm-synth's version. */
  readonly version: string;
  /** The cdk8s packages helm-synth works with, and their tested ranges. */
  readonly peerDependencies: Readonly<Record<string, string>>;
  /** The tools helm-synth is tested with (jest, typescript, ...), by name. */
  readonly devDependencies: Readonly<Record<string, string>>;
}

/** helm-synth's package.json: the nearest one named `helm-synth` above this file. */
export function readPackageInfo(): PackageInfo {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      if (json.name === 'helm-synth') {
        return {
          root: dir,
          version: json.version,
          peerDependencies: json.peerDependencies ?? {},
          devDependencies: json.devDependencies ?? {},
        };
      }
    }
    if (dirname(dir) === dir) throw new Error(`helm-synth's package.json not found above ${__dirname}`);
  }
}
