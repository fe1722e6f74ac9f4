import { lifecyclePlan } from '../plan/lifecycle-plan';
import { renderPlanText } from '../plan/plan-text';
import { ProjectConfig } from './project-config';
import { runApp } from './run-app';

const USAGE = 'usage: helm-synth plan [CHART] [--json]';

/**
 * `helm-synth plan [CHART] [--json]`: synthesizes the app in memory (nothing is written) and prints
 * what Helm executes for install, upgrade, rollback, uninstall and test of each chart, or of CHART.
 * `--json` prints an array of plans.
 */
export function printPlan(config: ProjectConfig, args: string[]): number {
  const json = args.includes('--json');
  const rest = args.filter((arg) => arg !== '--json');
  if (rest.length > 1 || rest.some((arg) => arg.startsWith('-'))) {
    console.error(USAGE);
    return 2;
  }
  const charts = runApp(config.app, { HELM_SYNTH_DRY_RUN: '1', HELM_SYNTH_OUTDIR: config.output });
  if (!charts) {
    console.error(`plan: the app must be a "node <file>.js" command to be planned in-process; cdk8s.yaml says ${JSON.stringify(config.app)}`);
    return 1;
  }
  const selected = rest.length ? charts.filter((chart) => chart.name === rest[0]) : charts;
  if (selected.length === 0) {
    console.error(`plan: no chart named ${JSON.stringify(rest[0])}; the app has ${charts.map((c) => c.name).join(', ') || 'no charts'}`);
    return 1;
  }
  const plans = selected.map((chart) => lifecyclePlan(chart.name, chart.objects));
  process.stdout.write(json ? `${JSON.stringify(plans, null, 2)}\n` : plans.map(renderPlanText).join('\n'));
  return 0;
}
