import { HelmSynthError } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { helperName } from '../chart/resource-naming';
import { HookEvent } from '../hooks/hook-types';
import { goString, unwrapParentheses } from '../tokens/go-template';
import { splitTokens, TokenUse } from '../tokens/token';
import { ChartObject } from './collect';
import { joinTemplateText } from './escape';
import { HELM_NO_VALUE } from './yaml-text';

/** templates/NOTES.txt: what was installed, how to reach its Services, how to run its tests, then the chart's own notes. */
export function renderNotes(chart: HelmChart, objects: readonly ChartObject[]): string {
  const chartName = chart.chartName;
  const lines = [
    '{{ .Chart.Name }} {{ .Chart.Version }} is installed as release {{ .Release.Name }} in namespace {{ .Release.Namespace }}.',
  ];
  const services = objects.filter((o) => o.kind === 'Service' && !o.hook);
  if (services.length) {
    lines.push('', 'Services:');
    for (const service of services) {
      const line = `  kubectl --namespace {{ .Release.Namespace }} get service {{ include ${goString(helperName(chartName, 'resourceName'))} (list . ${goString(service.suffix)}) }}`;
      const condition = service.settings.renderCondition;
      lines.push(...(condition ? [`{{- if ${unwrapParentheses(condition.expression)} }}`, line, '{{- end }}'] : [line]));
    }
  }
  if (objects.some((o) => o.hook?.runsAt(HookEvent.TEST))) {
    lines.push('', "Run the chart's tests:", '  helm test {{ .Release.Name }} --namespace {{ .Release.Namespace }}');
  }
  if (chart.notes) lines.push('', notesText(chart, chart.notes.trimEnd()));
  return `${lines.join('\n')}\n`;
}

/** The chart's notes: literal text printed as written, value and release tokens printed by their use. */
function notesText(chart: HelmChart, text: string): string {
  const parts = splitTokens(text) ?? [text];
  return joinTemplateText(
    parts.map((part) => {
      if (typeof part === 'string') {
        if (part.includes(HELM_NO_VALUE))
          throw new HelmSynthError(
            chart.node.path,
            `notes: the text ${JSON.stringify(HELM_NO_VALUE)} cannot be printed: Helm deletes it from rendered output`,
          );
        return { literal: part };
      }
      if (part.owner && part.owner !== chart)
        throw new HelmSynthError(chart.node.path, `notes: ${part.description} belongs to chart ${part.owner.node.path}`);
      if (part.secret) throw new HelmSynthError(chart.node.path, `notes: ${part.description} is a secret and cannot be printed`);
      const operand = unwrapParentheses(part.operand({ chartName: chart.chartName }));
      switch (part.use) {
        case TokenUse.INTEGER:
          return { action: `{{ ${operand} | int64 }}` };
        case TokenUse.NUMBER:
          return { action: `{{ ${operand} | toJson }}` };
        case TokenUse.MAP:
        case TokenUse.LIST:
          return { action: `{{ ${operand} | toYaml }}` };
        default:
          return { action: `{{ ${operand} }}` };
      }
    }),
  );
}
