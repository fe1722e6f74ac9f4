import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { HelmSynthError } from '../errors';

/** What `cdk8s.yaml` says: the command that runs the app and where charts go. */
export interface ProjectConfig {
  /** The app command, e.g. `node lib/charts/main.js`. */
  readonly app: string;
  /** Output folder. @default dist */
  readonly output: string;
}

/** Reads cdk8s.yaml from the working directory. */
export function readProjectConfig(file = 'cdk8s.yaml'): ProjectConfig {
  if (!existsSync(file)) throw new HelmSynthError(file, 'not found: run helm-synth in the folder that holds cdk8s.yaml');
  const config = parse(readFileSync(file, 'utf8')) ?? {};
  if (typeof config.app !== 'string' || config.app.trim() === '') {
    throw new HelmSynthError(file, `app must be the command that runs the app, e.g. "node lib/charts/main.js"; got ${JSON.stringify(config.app)}`);
  }
  return { app: config.app, output: typeof config.output === 'string' ? config.output : 'dist' };
}
