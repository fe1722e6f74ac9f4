import { HookStep, LifecyclePlan, PlannedObject, ResourceStep } from './lifecycle-plan';

/** The plan as text for people: one block per Helm command, one table per step. */
export function renderPlanText(plan: LifecyclePlan): string {
  const lines = [`Lifecycle plan of chart ${plan.chart}, as Helm 3 runs it.`, ...plan.rules.map((rule) => `  - ${rule}`)];
  for (const operation of plan.operations) {
    lines.push('', `${operation.operation}: ${operation.command}`);
    operation.steps.forEach((step, i) => {
      if (step.step === 'hooks') hookLines(step, i + 1, lines);
      else resourceLines(step, i + 1, lines);
    });
    lines.push(
      operation.leftInCluster.length
        ? `  left in the cluster afterwards: ${operation.leftInCluster.map(label).join(', ')}`
        : '  left in the cluster afterwards: no hook object',
    );
  }
  return `${lines.join('\n')}\n`;
}

function hookLines(step: HookStep, number: number, lines: string[]): void {
  if (step.hooks.length === 0) {
    lines.push(`  ${number}. ${step.event} hooks: none`);
    return;
  }
  lines.push(`  ${number}. ${step.event} hooks, one at a time:`);
  table(
    lines,
    ['weight', 'kind', 'name', 'waits for', 'delete policy', ''],
    step.hooks.map((hook) => [
      String(hook.weight),
      hook.kind,
      hook.name,
      hook.waitsFor,
      hook.deletePolicies.join(',') || '(none)',
      onlyWhen(hook),
    ]),
  );
  if (step.deletedAfterSuccess.length) {
    lines.push(`     once all succeeded, hook-succeeded deletes: ${step.deletedAfterSuccess.map(label).join(', ')}`);
  }
  if (step.deletedIfFailed.length) {
    lines.push(`     if one of these fails, hook-failed deletes it: ${step.deletedIfFailed.map(label).join(', ')}`);
  }
  for (const note of step.notes) lines.push(`     note: ${note}`);
}

function resourceLines(step: ResourceStep, number: number, lines: string[]): void {
  const verb = step.step === 'apply' ? 'applied' : 'deleted';
  if (step.objects.length === 0) {
    lines.push(`  ${number}. normal resources ${verb}: none`);
  } else {
    lines.push(`  ${number}. normal resources ${verb}, kind by kind:`);
    table(
      lines,
      ['kind', 'name', ''],
      step.objects.map((o) => [o.kind, o.name, onlyWhen(o)]),
    );
  }
  if (step.kept.length) lines.push(`     kept (helm.sh/resource-policy: keep): ${step.kept.map(label).join(', ')}`);
  for (const note of step.notes) lines.push(`     note: ${note}`);
}

function table(lines: string[], header: string[], rows: string[][]): void {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  for (const row of [header, ...rows]) {
    lines.push(
      `       ${row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd()}`,
    );
  }
}

function onlyWhen(object: PlannedObject): string {
  return object.onlyWhen ? `only when ${object.onlyWhen}` : '';
}

function label(object: PlannedObject): string {
  return `${object.kind} ${object.name}${object.onlyWhen ? ` (only when ${object.onlyWhen})` : ''}`;
}
