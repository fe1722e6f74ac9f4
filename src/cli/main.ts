#!/usr/bin/env node
import { resolve } from 'node:path';
import { HelmApp } from '../synth/helm-app';
import { HelmSynthError } from '../errors';
import { ChartOutputReport } from '../output/output-writer';
import { ProjectConfig, readProjectConfig } from './project-config';
import { appFileOf, runApp } from './run-app';

const USAGE = `usage: helm-synth synth [--app CMD] [--output DIR] [--dry-run]   synthesize every chart (defaults from cdk8s.yaml)
       helm-synth plan [CHART] [--format text|json|mermaid]         print the install/upgrade/rollback/uninstall/test sequence
       helm-synth package [--destination DIR] [--merge] [--created ISO-TIME] [--baseline DIR|ARCHIVE]
                                                                    archives and index.yaml, with the version guard
       helm-synth check-upgrade --baseline DIR|ARCHIVE [-f FILE]... [--set K=V]... [CHART...]
                                                                    what breaks helm upgrade from the baseline`;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  const { config, args } = withOverrides(readProjectConfig(), rest);
  if (command === 'synth') {
    const dryRun = args.includes('--dry-run') || process.env.HELM_SYNTH_DRY_RUN === '1';
    const unknown = args.filter((arg) => arg !== '--dry-run');
    if (unknown.length > 0) {
      console.error(`helm-synth synth: unknown argument ${JSON.stringify(unknown[0])}\n${USAGE}`);
      return 2;
    }
    const started = process.hrtime.bigint();
    const appFile = appFileOf(config.app);
    const charts = runApp(config.app, {
      HELM_SYNTH_OUTDIR: config.output,
      HELM_SYNTH_PROJECT_DIR: process.cwd(),
      ...(appFile && { HELM_SYNTH_APP_FILE: resolve(appFile) }),
      ...(dryRun && { HELM_SYNTH_DRY_RUN: '1' }),
    });
    if (charts) printSummary(dryRun, Number((process.hrtime.bigint() - started) / 1000000n));
    return config.upgradeCheck && !dryRun ? (require('./check-upgrade-command') as typeof import('./check-upgrade-command')).checkAfterSynth(config) : 0;
  }
  if (command === 'plan') {
    const { printPlan } = require('./plan-command') as typeof import('./plan-command');
    return printPlan(config, args);
  }
  if (command === 'package') return (require('./package-command') as typeof import('./package-command')).runPackage(config, args);
  if (command === 'check-upgrade') return (require('./check-upgrade-command') as typeof import('./check-upgrade-command')).runCheckUpgrade(config, args);
  console.error(USAGE);
  return 2;
}

/** Prints one line per chart (summary and file counts) and a total. */
function printSummary(dryRun: boolean, ms: number): void {
  const total = { written: 0, unchanged: 0, removed: 0, charts: 0 };
  for (const run of HelmApp.synthesized) {
    const reports = new Map((run.output?.charts ?? []).map((r) => [r.name, r]));
    const outdir = run.output?.outdir ?? run.app.chartsOutdir;
    for (const chart of run.charts) {
      const s = chart.summary;
      const report = reports.get(chart.name);
      total.charts++;
      const summary = `version ${s.version}, ${s.templates} templates, ${s.values} values, ${s.hooks} hooks`;
      console.log(`${outdir}/${chart.name}: ${summary}; ${counts(report, dryRun, total)}`);
      for (const warning of chart.warnings) console.warn(`  warning: ${warning.constructPath}: ${warning.message}`);
    }
    for (const report of run.output?.charts.filter((r) => r.dropped) ?? []) {
      console.log(`${outdir}/${report.name}: no longer in the app; ${counts(report, dryRun, total)}`);
    }
  }
  const verb = dryRun ? 'would write' : 'wrote';
  const files = `${verb} ${total.written} file(s), ${total.unchanged} unchanged, ${dryRun ? 'would remove' : 'removed'} ${total.removed}`;
  console.log(`synthesized ${total.charts} chart(s) in ${ms} ms: ${files}${dryRun ? ' (dry run: nothing was touched)' : ''}`);
}

function counts(report: ChartOutputReport | undefined, dryRun: boolean, total: { written: number; unchanged: number; removed: number }): string {
  if (!report) return 'not written';
  total.written += report.written.length;
  total.unchanged += report.unchanged.length;
  total.removed += report.removed.length;
  return dryRun
    ? `would write ${report.written.length}, ${report.unchanged.length} unchanged, would remove ${report.removed.length}`
    : `${report.written.length} written, ${report.unchanged.length} unchanged, ${report.removed.length} removed`;
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

/** One line for any failure: the message, and for bad input that nothing was written. No stack unless HELM_SYNTH_DEBUG=1. */
function describeFailure(error: unknown): string {
  if (process.env.HELM_SYNTH_DEBUG === '1' && error instanceof Error && error.stack) return error.stack;
  const message = error instanceof Error ? error.message : String(error);
  const name = HelmSynthError.isHelmSynthError(error) ? 'HelmSynthError' : error instanceof Error ? error.name : '';
  if (name === 'HelmSynthError' && !/nothing was written/.test(message)) return `Error: ${message} (nothing was written)`;
  if (name === 'HelmSynthError' || name === 'OutputIoError' || name === 'LockBusyError') return `Error: ${message}`;
  return `Error: ${message.split('\n')[0]} (set HELM_SYNTH_DEBUG=1 for the stack)`;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(describeFailure(error));
  process.exitCode = 1;
}
