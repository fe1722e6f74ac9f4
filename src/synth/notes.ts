import { HelmSynthError } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { resourceNameExpression } from '../chart/resource-naming';
import { HookEvent } from '../hooks/hook-types';
import { HELM_NO_VALUE, unwrapParentheses } from '../tokens/go-template';
import { ResolveContext, TextPart } from '../tokens/token';
import { ChartObject } from './collect';
import { emitText } from './emit-template';

/**
 * templates/NOTES.txt: what was installed, how to reach its Services, how to run its tests, then the
 * chart's own notes (`collectNotes`), whose tokens print as in any template text (`emitText`).
 */
export function renderNotes(
  chart: HelmChart,
  objects: readonly ChartObject[],
  notes: readonly TextPart[] | undefined,
  context: ResolveContext,
): string {
  const chartName = chart.chartName;
  const lines = [
    '{{ .Chart.Name }} {{ .Chart.Version }} is installed as release {{ .Release.Name }} in namespace {{ .Release.Namespace }}.',
  ];
  const services = objects.filter((o) => o.kind === 'Service' && !o.hook);
  if (services.length) {
    lines.push('', 'Services:');
    for (const service of services) {
      const line = `  kubectl --namespace {{ .Release.Namespace }} get service {{ ${unwrapParentheses(resourceNameExpression(chartName, service.suffix))} }}`;
      const condition = service.settings.renderCondition;
      lines.push(...(condition ? [`{{- if ${unwrapParentheses(condition.expression)} }}`, line, '{{- end }}'] : [line]));
    }
  }
  if (objects.some((o) => o.hook?.runsAt(HookEvent.TEST))) {
    lines.push('', "Run the chart's tests:", '  helm test {{ .Release.Name }} --namespace {{ .Release.Namespace }}');
  }
  if (notes) lines.push('', notesText(chart, notes, context));
  return `${lines.join('\n')}\n`;
}

/** The chart's notes: literal text printed as written (never Helm's `<no value>`, which Helm deletes), tokens by their use. */
function notesText(chart: HelmChart, notes: readonly TextPart[], context: ResolveContext): string {
  if (notes.some((part) => typeof part === 'string' && part.includes(HELM_NO_VALUE)))
    throw new HelmSynthError(
      chart.node.path,
      `notes: the text ${JSON.stringify(HELM_NO_VALUE)} cannot be printed: Helm deletes it from rendered output`,
    );
  return emitText(notes, context);
}
