#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { HelmSynthError } from '../errors';
import { readableText } from '../tokens/token';
import { readPackageInfo } from './package-info';
import type { ProjectConfig } from './project-config';
import { mapStack } from './typescript-loader';

const USAGE = `usage: helm-synth <command> [options]

  synth [--app CMD] [--output DIR] [--dry-run] [--dependencies]
                                                    synthesize every chart of the app (cdk8s.yaml: app, output)
  plan [CHART] [--format text|json|mermaid]         print what Helm runs at install, upgrade, rollback, uninstall and test
  dependency build [CHART...] [--cache DIR] [--offline] [--update]
                                                    vendor each chart's dependencies into charts/ and write Chart.lock
  package [CHART...] [--destination DIR] [--merge] [--created ISO-TIME] [--baseline DIR|ARCHIVE]
          [--sign --key FILE] [--push oci://HOST/PATH [--force] [--plain-http]]
                                                    chart archives and index.yaml, with the version guard
  push [CHART|ARCHIVE]... oci://HOST/PATH [--destination DIR] [--force] [--plain-http]
                                                    push archives (and their .prov) to an OCI registry, print each digest
  verify [CHART|ARCHIVE]... [--destination DIR] [--keyring FILE]
                                                    check each archive's .prov signature and sha256
  check-upgrade --baseline DIR|ARCHIVE|oci://HOST/PATH|https://REPO [-f FILE]... [--set K=V]... [CHART...]
                                                    what breaks helm upgrade from the baseline
  types [CHART|PATH]... [--out DIR]                 TypeScript declarations of chart values, from their schema
  init [DIR]                                        write a new project (package.json, cdk8s.yaml, a chart, a test)

Commands that take CHART... work on the charts of the output folder named, or on all of them.

  --help, -h       this text          --version, -v    helm-synth's version
  --verbose        on failure, print the stack trace too (or HELM_SYNTH_DEBUG=1)

The app (cdk8s.yaml app:) is a .ts or .js file, or a command such as \`npx ts-node charts/main.ts\`:
files are run in this process, TypeScript compiled by esbuild without type-checking.

Registry credentials: HELM_SYNTH_REGISTRY_USERNAME and HELM_SYNTH_REGISTRY_PASSWORD, else Helm's
registry config (helm registry login) or Docker's config file (docker login). A passphrase-protected
signing key reads HELM_SYNTH_SIGNING_PASSPHRASE.`;

const COMMANDS = new Set(['synth', 'plan', 'dependency', 'package', 'check-upgrade', 'types', 'init', 'push', 'verify']);

function main(argv: readonly string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help' || rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    console.log(readPackageInfo().version);
    return 0;
  }
  if (!COMMANDS.has(command)) {
    console.error(command === undefined ? USAGE : `helm-synth: unknown command ${JSON.stringify(command)}\n${USAGE}`);
    return 2;
  }
  if (command === 'init') return (require('./init-command') as typeof import('./init-command')).runInit(rest);
  const projectConfig = require('./project-config') as typeof import('./project-config');
  const standalone = (command === 'types' || command === 'push' || command === 'verify') && !existsSync('cdk8s.yaml');
  const { config, args } = withOverrides(standalone ? projectConfig.standaloneConfig() : projectConfig.readProjectConfig(), rest);
  if (command === 'push') return (require('./push-command') as typeof import('./push-command')).runPush(config, args);
  if (command === 'verify') return (require('./verify-command') as typeof import('./verify-command')).runVerify(config, args);
  if (command === 'synth') return (require('./synth-command') as typeof import('./synth-command')).runSynth(config, args, USAGE);
  if (command === 'plan') return (require('./plan-command') as typeof import('./plan-command')).printPlan(config, args);
  if (command === 'dependency')
    return (require('./dependency-command') as typeof import('./dependency-command')).runDependency(config, args);
  if (command === 'package') return (require('./package-command') as typeof import('./package-command')).runPackage(config, args);
  if (command === 'types') return (require('./types-command') as typeof import('./types-command')).runTypes(config, args);
  return (require('./check-upgrade-command') as typeof import('./check-upgrade-command')).runCheckUpgrade(config, args);
}

/** Applies `--app` and `--output` to the cdk8s.yaml settings; returns the other arguments. */
function withOverrides(config: ProjectConfig, argv: string[]): { config: ProjectConfig; args: string[] } {
  const args: string[] = [];
  let result = config;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--app' || argv[i] === '--output') {
      const value = argv[++i];
      if (value === undefined) throw new HelmSynthError('helm-synth', `${argv[i - 1]} needs a value`);
      result = argv[i - 1] === '--app' ? { ...result, app: value } : { ...result, output: value };
    } else {
      args.push(argv[i]);
    }
  }
  return { config: result, args };
}

const QUIET_ERRORS = new Set(['HelmSynthError', 'OutputIoError', 'LockBusyError', 'AppCommandError']);

/**
 * One line for any failure: the message, and for bad input that nothing was written; for an error
 * of the app's own code, where in the app's source it was thrown. The stack only with --verbose or
 * HELM_SYNTH_DEBUG=1. Token markers and number tokens (in cdk8s-plus's own errors too) read as the
 * values they stand for.
 */
function describeFailure(error: unknown, verbose: boolean): string {
  if (verbose && error instanceof Error && error.stack) return readableText(mapStack(error.stack));
  const message = readableText(error instanceof Error ? error.message : String(error));
  const name = HelmSynthError.isHelmSynthError(error) ? 'HelmSynthError' : error instanceof Error ? error.name : '';
  if (name === 'HelmSynthError' && !/nothing was written/.test(message)) return `Error: ${message} (nothing was written)`;
  if (QUIET_ERRORS.has(name)) return `Error: ${message}`;
  const where = error instanceof Error && error.stack ? appFrame(mapStack(error.stack)) : undefined;
  return `${error instanceof Error ? name : 'Error'}: ${message.split('\n')[0]}${where ? ` (at ${where})` : ''} (--verbose for the stack)`;
}

/** The first stack frame in the app's own code (not Node's, not a package's, not helm-synth's), as `file:line:column` from here. */
function appFrame(stack: string): string | undefined {
  const ownDir = resolve(__dirname, '..');
  for (const line of stack.split('\n').slice(1)) {
    const location = /\(?((?:\/|[A-Za-z]:\\)[^()]*?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!location) continue;
    const file = location[1];
    if (file.includes(`${sep}node_modules${sep}`) || file.startsWith(ownDir + sep)) continue;
    return `${relative(process.cwd(), file) || file}:${location[2]}:${location[3]}`;
  }
  return undefined;
}

const verbose = process.argv.includes('--verbose') || process.env.HELM_SYNTH_DEBUG === '1';
const fail = (error: unknown): void => {
  console.error(describeFailure(error, verbose));
  process.exitCode = 1;
};
try {
  const result = main(process.argv.slice(2).filter((arg) => arg !== '--verbose'));
  if (typeof result === 'number') process.exitCode = result;
  else result.then((code) => (process.exitCode = code), fail);
} catch (error) {
  fail(error);
}
