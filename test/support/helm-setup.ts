// jest setupFiles: where no Helm is on PATH and HELM_BIN is unset, this repository's tests render with
// the helm-oracle stand-in that .ci/run builds beside the project (../shared), so Testing.render and
// the CLI tests find it as a user's HELM_BIN.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HelmRunner } from '../../src/helm';

const ORACLE = join(__dirname, '..', '..', '..', 'shared', 'tools', 'helm-oracle', 'bin', 'helm-oracle');

if (!HelmRunner.find() && !process.env.HELM_BIN && existsSync(ORACLE)) process.env.HELM_BIN = ORACLE;
