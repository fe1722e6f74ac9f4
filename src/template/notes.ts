import { HookEvent } from '../hooks/hook-types';
import { ChartObject } from './chart-templates';
import { escapeTemplateText } from './escape';
import { helperName } from './helpers-tpl';

/** templates/NOTES.txt: what was installed, how to reach its Services, how to run its tests. */
export function renderNotes(chartName: string, objects: readonly ChartObject[], extra?: string): string {
  const lines = [
    `{{ .Chart.Name }} {{ .Chart.Version }} is installed as release {{ .Release.Name }} in namespace {{ .Release.Namespace }}.`,
  ];
  const services = objects.filter((o) => o.kind === 'Service' && !o.hook);
  if (services.length) {
    lines.push('', 'Services:');
    for (const service of services) {
      lines.push(`  kubectl --namespace {{ .Release.Namespace }} get service {{ include ${JSON.stringify(helperName(chartName, 'resourceName'))} (list . ${JSON.stringify(service.suffix)}) }}`);
    }
  }
  if (objects.some((o) => o.hook?.runsAt(HookEvent.TEST))) {
    lines.push('', 'Run the chart\'s tests:', '  helm test {{ .Release.Name }} --namespace {{ .Release.Namespace }}');
  }
  if (extra) lines.push('', escapeTemplateText(extra.trimEnd()));
  return `${lines.join('\n')}\n`;
}
