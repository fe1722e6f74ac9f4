import { LifecycleOperation, LifecyclePlan, PlannedObject } from './lifecycle-plan';

/**
 * The plan as a Mermaid flowchart (GitHub and GitLab render it in Markdown): one column per Helm
 * command, its steps top to bottom. `operations` picks the commands drawn.
 */
export function renderPlanMermaid(
  plan: LifecyclePlan,
  operations: readonly LifecycleOperation[] = Object.values(LifecycleOperation),
): string {
  const lines = ['flowchart TB'];
  for (const operation of plan.operations.filter((o) => operations.includes(o.operation))) {
    const id = operation.operation;
    lines.push(`  subgraph ${id}["${text(operation.command)}"]`, '    direction TB');
    const nodes: string[] = [];
    operation.steps.forEach((step, s) => {
      if (step.step === 'hooks') {
        if (step.hooks.length === 0) return;
        step.hooks.forEach((hook, h) => {
          const node = `${id}_${s}_${h}`;
          const when = hook.onlyWhen ? `, only when ${hook.onlyWhen}` : '';
          lines.push(
            `    ${node}["${text(`${step.event} (weight ${hook.weight}): ${label(hook)}${hook.waitsFor === 'created' ? '' : `, waits until ${hook.waitsFor}`}${when}`)}"]`,
          );
          nodes.push(node);
        });
      } else {
        const node = `${id}_${s}`;
        const verb = step.step === 'apply' ? 'apply' : 'delete';
        const what = step.objects.length ? step.objects.map(label).join(', ') : 'none';
        lines.push(`    ${node}[["${text(`${verb} release objects: ${what}`)}"]]`);
        nodes.push(node);
      }
    });
    if (nodes.length > 1) lines.push(`    ${nodes.join(' --> ')}`);
    if (nodes.length === 0) lines.push(`    ${id}_none["${text('no hooks, no objects')}"]`);
    lines.push('  end');
  }
  return `${lines.join('\n')}\n`;
}

function label(object: PlannedObject): string {
  return `${object.kind} ${object.name}`;
}

/** Text inside a quoted Mermaid label: quotes and angle brackets as entity codes, no line breaks. */
function text(value: string): string {
  return value
    .replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#60;')
    .replace(/>/g, '#62;');
}
