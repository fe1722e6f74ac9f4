import { checkHookDependencies } from '../hooks/hook-dependencies';
import { ChartObject, checkNoMarkersLeft, collectChartObjects, renderChartObject } from '../template/chart-templates';
import { renderHelpers } from '../template/helpers-tpl';
import { renderNotes } from '../template/notes';
import { resourceNameExpression } from '../template/resource-naming';
import { stringifyYaml } from '../template/yaml';
import { ReferenceUse, References } from '../values/reference';
import { renderValuesFile } from '../values/values-file';
import { renderValuesSchema } from '../values/values-schema';
import { renderChartReadme } from './chart-readme';
import { HelmChart } from './helm-chart';

/** A synthesized chart: its files by path relative to the chart directory, and a summary. */
export interface ChartFiles {
  readonly name: string;
  readonly files: ReadonlyMap<string, string>;
  readonly summary: { readonly version: string; readonly templates: number; readonly values: number; readonly hooks: number };
  /** The chart's objects as synthesis saw them (for the lifecycle plan). */
  readonly objects: readonly ChartObject[];
}

const HELMIGNORE = `# Patterns to ignore when packaging the chart (helm package).
.DS_Store
.git/
.gitignore
*.swp
*.bak
*.tmp
*.orig
*~
.vscode/
.idea/
`;

/** Synthesizes every file of one chart in memory; throws HelmSynthError on any bad input. */
export function synthesizeChart(chart: HelmChart): ChartFiles {
  const name = chart.chartName;
  const objects = collectChartObjects(chart);
  checkHookDependencies(objects);

  const nameMarkers = new Map<string, string>();
  for (const entry of objects) {
    const generated = entry.object.name;
    nameMarkers.set(generated, References.marker({
      expression: resourceNameExpression(name, entry.suffix),
      use: ReferenceUse.STRING,
      description: `name of ${entry.object.node.path}`,
    }));
  }

  const files = new Map<string, string>();
  files.set('Chart.yaml', renderChartYaml(chart));
  files.set('values.yaml', renderValuesFile(chart.values));
  files.set('values.schema.json', renderValuesSchema(chart.values));
  files.set('README.md', renderChartReadme(chart, objects));
  files.set('.helmignore', HELMIGNORE);
  files.set('templates/_helpers.tpl', renderHelpers(name));
  files.set('templates/NOTES.txt', renderNotes(name, objects, chart.notes));
  for (const entry of objects) {
    const text = renderChartObject(entry, name, nameMarkers);
    checkNoMarkersLeft(text, entry.file, chart.node.path);
    files.set(entry.file, text);
  }
  return {
    name,
    files,
    summary: {
      version: chart.metadata.version,
      templates: objects.length,
      values: chart.values.all.length,
      hooks: objects.filter((o) => o.hook).length,
    },
    objects,
  };
}

function renderChartYaml(chart: HelmChart): string {
  const m = chart.metadata;
  const doc: Record<string, unknown> = {
    apiVersion: 'v2',
    name: m.name,
    version: m.version,
    ...(m.appVersion !== undefined && { appVersion: m.appVersion }),
    ...(m.description !== undefined && { description: m.description }),
    type: m.type,
    ...(m.kubeVersion !== undefined && { kubeVersion: m.kubeVersion }),
    ...(m.keywords.length && { keywords: m.keywords }),
    ...(m.home !== undefined && { home: m.home }),
    ...(m.sources.length && { sources: m.sources }),
    ...(m.maintainers.length && { maintainers: m.maintainers }),
    ...(m.icon !== undefined && { icon: m.icon }),
    ...(Object.keys(m.annotations).length && { annotations: m.annotations }),
    ...(chart.dependencies.length && { dependencies: chart.dependencies }),
  };
  return stringifyYaml(doc);
}
