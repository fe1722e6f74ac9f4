import { join, resolve } from 'node:path';
import { HelmSynthError } from '../errors';
import { ChartOutputReport } from '../output/output-writer';
import { SynthResult } from '../synth/synth-result';
import { ProjectConfig } from './project-config';
import { appFileOf, runApp } from './run-app';

/**
 * `helm-synth synth [--dry-run] [--dependencies]`: runs the app, prints a line per chart with its
 * file counts, with `--dependencies` vendors every chart's dependencies (`dependency build`), and
 * runs the upgrade check cdk8s.yaml asks for.
 *
 * @param usage printed after an unknown argument
 */
export function runSynth(config: ProjectConfig, args: readonly string[], usage: string): number | Promise<number> {
  const dryRun = args.includes('--dry-run') || process.env.HELM_SYNTH_DRY_RUN === '1';
  const dependencies = args.includes('--dependencies');
  const typesAt = args.indexOf('--types');
  const typesDir = typesAt >= 0 ? args[typesAt + 1] : config.types;
  if (typesAt >= 0 && (typesDir === undefined || typesDir.startsWith('-'))) throw new HelmSynthError('synth', '--types needs a folder');
  const unknown = args.filter(
    (arg, i) => arg !== '--dry-run' && arg !== '--dependencies' && (typesAt < 0 || (i !== typesAt && i !== typesAt + 1)),
  );
  if (unknown.length > 0) {
    console.error(`helm-synth synth: unknown argument ${JSON.stringify(unknown[0])}\n${usage}`);
    return 2;
  }
  const started = process.hrtime.bigint();
  const appFile = appFileOf(config.app);
  const results = runApp(config.app, {
    outdir: config.output,
    projectDir: process.cwd(),
    appFile: appFile && resolve(appFile),
    dryRun,
  });
  if (results && results.length === 0) {
    throw new HelmSynthError(
      appFile ?? config.app,
      'ran, but synthesized nothing: create a HelmApp, add charts to it and call app.synth()',
    );
  }
  if (results) printSummary(results, dryRun, Number((process.hrtime.bigint() - started) / 1000000n));
  if (results && typesDir !== undefined && !dryRun) {
    const written = results.flatMap((result) => result.charts.map((chart) => join(result.outdir, chart.name)));
    (require('./types-command') as typeof import('./types-command')).writeValuesTypes(config, written, typesDir);
  }
  const check = (): number | Promise<number> =>
    config.upgradeCheck && !dryRun
      ? (require('./check-upgrade-command') as typeof import('./check-upgrade-command')).checkAfterSynth(config)
      : 0;
  if (!dependencies || dryRun) return check();
  return (require('./dependency-command') as typeof import('./dependency-command')).buildAfterSynth(config).then(check);
}

/** Prints one line per chart (summary and file counts) and a total. */
function printSummary(results: readonly SynthResult[], dryRun: boolean, ms: number): void {
  const total = { written: 0, unchanged: 0, removed: 0, charts: 0 };
  for (const run of results) {
    const reports = new Map((run.output?.charts ?? []).map((r) => [r.name, r]));
    const outdir = run.output?.outdir ?? run.outdir;
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

function counts(
  report: ChartOutputReport | undefined,
  dryRun: boolean,
  total: { written: number; unchanged: number; removed: number },
): string {
  if (!report) return 'not written';
  total.written += report.written.length;
  total.unchanged += report.unchanged.length;
  total.removed += report.removed.length;
  return dryRun
    ? `would write ${report.written.length}, ${report.unchanged.length} unchanged, would remove ${report.removed.length}`
    : `${report.written.length} written, ${report.unchanged.length} unchanged, ${report.removed.length} removed`;
}
