// Puts in the npm cache what `npm run e2e` installs offline beyond this repository's lockfile (which
// `npm ci` already cached): the lowest version of each peer dependency range, and the second copy of
// cdk8s-plus-27 (test/e2e/versions.json). .ci/run calls it in its install step.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const own = JSON.parse(readFileSync('package.json', 'utf8'));
const versions = JSON.parse(readFileSync('test/e2e/versions.json', 'utf8'));
const specs = [
  ...Object.entries(own.peerDependencies).map(([name, range]) => `${name}@${range.replace(/^\^/, '')}`),
  ...Object.entries(versions.secondCopy).map(([name, version]) => `${name}@${version}`),
];
const result = spawnSync('npm', ['cache', 'add', ...specs], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
console.log(`npm cache: ${specs.join(' ')}`);
