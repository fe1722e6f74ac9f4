import { lifecyclePlan } from '../plan/lifecycle-plan';
import { renderPlanMermaid } from '../plan/plan-mermaid';
import { renderPlanText } from '../plan/plan-text';
import { ProjectConfig } from './project-config';
import { runApp } from './run-app';

const USAGE = 'usage: helm-synth plan [CHART] [--format text|json|mermaid] (--json is --format json)';
const FORMATS = ['text', 'json', 'mermaid'] as const;

/**
 * `helm-synth plan [CHART] [--format text|json|mermaid]`: synthesizes the app in memory (nothing is
 * written) and prints what Helm executes for install, upgrade, rollback, uninstall and test of each
 * chart, or of CHART: as text, as a JSON array of plans, or as a Mermaid flowchart.
 */
export function printPlan(config: ProjectConfig, args: string[]): number {
  let format: (typeof FORMATS)[number] = 'text';
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--json') format = 'json';
    else if (args[i] === '--format' && FORMATS.includes(args[i + 1] as never)) format = args[++i] as typeof format;
    else rest.push(args[i]);
  }
  if (rest.length > 1 || rest.some((arg) => arg.startsWith('-'))) {
    console.error(USAGE);
    return 2;
  }
  const results = runApp(config.app, { inMemory: true, outdir: config.output });
  if (!results) {
    console.error(
      `plan: the app must be a .ts or .js file (or \`npx ts-node <file>\`, \`node <file>\`) to be planned in-process; cdk8s.yaml says ${JSON.stringify(config.app)}`,
    );
    return 1;
  }
  const charts = results.flatMap((result) => result.charts);
  const selected = rest.length ? charts.filter((chart) => chart.name === rest[0]) : charts;
  if (selected.length === 0) {
    console.error(`plan: no chart named ${JSON.stringify(rest[0])}; the app has ${charts.map((c) => c.name).join(', ') || 'no charts'}`);
    return 1;
  }
  const plans = selected.map((chart) => lifecyclePlan(chart.name, chart.objects));
  const render = { text: renderPlanText, mermaid: (plan: (typeof plans)[number]) => renderPlanMermaid(plan) }[format as 'text' | 'mermaid'];
  process.stdout.write(format === 'json' ? `${JSON.stringify(plans, null, 2)}\n` : plans.map(render).join('\n'));
  return 0;
}
