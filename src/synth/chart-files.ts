import { IConstruct } from 'constructs';
import { HelmSynthError, readableMessage, readablePath } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { CRD_KIND } from '../chart/kinds';
import { Hook } from '../hooks/hook';
import { ResolveContext, TextPart, Token, tokensOwnedBy, TokenUse } from '../tokens/token';
import { checkKubeApi, KubeApiSeverity } from '../policy/kube-api-versions';
import { ChartTreeContext, objectTree } from './build-tree';
import { renderChartReadme } from './chart-readme';
import { ChartObject, collectChartObjects, collectNotes, Problem, workloadComponents } from './collect';
import { emitObjectFile, emitTree } from './emit-template';
import { checkHookDependencies, podReads } from './hook-dependencies';
import { NamedHelpers } from './named-helpers';
import { renderHelpers } from './helpers-tpl';
import { renderNotes } from './notes';
import { jsonNode, MapNode } from './template-tree';
import { ChartValuesFiles, renderEnvironmentFiles } from './environment-files';
import { renderValuesFile } from './values-file';
import { renderValuesSchema } from './values-schema';
import { HELM_NO_VALUE } from '../tokens/go-template';

/** A synthesized chart: its files by path relative to the chart directory, and what synthesis saw. */
export interface ChartFiles {
  /** The chart name (its folder). */
  readonly name: string;
  /** Every file, by path relative to the chart folder. */
  readonly files: ReadonlyMap<string, string>;
  /** Counts for the CLI's summary. */
  readonly summary: { readonly version: string; readonly templates: number; readonly values: number; readonly hooks: number };
  /** @internal The chart's objects as synthesis saw them (for the lifecycle plan). */
  readonly objects: readonly ChartObject[];
  /** Things worth knowing that are not errors (printed by the CLI). */
  readonly warnings: readonly Problem[];
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

/** How one chart is synthesized. */
export interface ChartSynthesisOptions {
  /** Writes every expression in place, with no named helpers in `_helpers.tpl` (tests compare both). @default false */
  readonly inlineExpressions?: boolean;
}

/**
 * Synthesizes every file of one chart in memory. Runs the validations of its constructs (cdk8s's
 * and helm-synth's) and every synthesis check, and throws one HelmSynthError listing all problems.
 */
export function synthesizeChart(chart: HelmChart, options: ChartSynthesisOptions = {}): ChartFiles {
  const problems: Problem[] = validateConstructs(chart);
  const warnings: Problem[] = [];
  const objects = collectChartObjects(chart, problems);
  const orderProblems = Hook.orderProblems(chart);
  if (orderProblems.length) throw HelmSynthError.fromProblems([...problems, ...orderProblems]);
  const reads = podReads(objects);
  checkHookDependencies(objects, reads, problems, warnings);
  checkKubeApis(objects, chart.metadata.kubeVersion, problems, warnings);
  const name = chart.chartName;
  const resolve: ResolveContext = {
    chartName: name,
    names: new Map(objects.map((o) => [o.object, { suffix: o.suffix, replacedBy: o.settings.replacedBy }])),
  };
  const trees: ChartTreeContext = { chart, reads, components: workloadComponents(objects), resolve, warnings, used: new Set() };

  const templates = new Map<string, string>();
  const built: Array<{ entry: ChartObject; tree: MapNode }> = [];
  for (const entry of objects) {
    try {
      templates.set(entry.file, '');
      built.push({ entry, tree: objectTree(entry, trees) });
    } catch (error) {
      if (!HelmSynthError.isHelmSynthError(error)) throw error;
      problems.push(...error.problems);
    }
  }
  const helpers = NamedHelpers.plan(
    options.inlineExpressions
      ? []
      : built
          .filter(({ entry }) => entry.kind !== CRD_KIND)
          .map(({ entry, tree }) => ({ tree, source: `${entry.kind} ${readablePath(entry.owner.node.path)}` })),
    resolve,
  );
  for (const { entry, tree } of built) {
    try {
      templates.set(entry.file, emitObjectFile(entry, tree, { ...resolve, scalarAction: (action) => helpers.action(action) }));
    } catch (error) {
      if (!HelmSynthError.isHelmSynthError(error)) throw error;
      problems.push(...error.problems);
    }
  }
  const files = new Map<string, string>();
  let notes: TextPart[] | undefined;
  try {
    files.set('Chart.yaml', renderChartYaml(chart));
    const valuesYaml = renderValuesFile(chart.values, name);
    const schemaText = renderValuesSchema(chart.values);
    files.set('values.yaml', valuesYaml);
    files.set('values.schema.json', schemaText);
    for (const [file, text] of renderEnvironmentFiles(chart, { valuesYaml, schemaText }, dependencyValuesFiles, problems))
      files.set(file, text);
    files.set('README.md', renderChartReadme(chart, objects));
    files.set('.helmignore', HELMIGNORE);
    files.set('templates/_helpers.tpl', renderHelpers(name) + helpers.definitions());
    notes = collectNotes(chart);
    files.set('templates/NOTES.txt', renderNotes(chart, objects, notes, resolve));
  } catch (error) {
    if (!HelmSynthError.isHelmSynthError(error)) throw error;
    problems.push(...error.problems);
  }
  if (!problems.length) problems.push(...unusedBooleanTokens(chart, trees.used, notes), ...noValueDefaults(chart, trees.used, resolve));
  if (problems.length) throw HelmSynthError.fromProblems(problems);
  for (const [file, text] of templates) files.set(file, text);
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
    warnings: warnings.map((w) => ({ constructPath: readablePath(w.constructPath), message: readableMessage(w.message) })),
  };
}

/** values.yaml and values.schema.json of a chart of this app another depends on; undefined when it does not synthesize (its own synthesis reports why). */
function dependencyValuesFiles(dependency: HelmChart<any>): ChartValuesFiles | undefined {
  try {
    const { files } = synthesizeChart(dependency);
    return { valuesYaml: files.get('values.yaml')!, schemaText: files.get('values.schema.json')! };
  } catch (error) {
    if (HelmSynthError.isHelmSynthError(error)) return undefined;
    throw error;
  }
}

/** An API version removed in a Kubernetes version the chart admits is a problem; a deprecated one a warning. */
function checkKubeApis(objects: readonly ChartObject[], kubeVersion: string | undefined, problems: Problem[], warnings: Problem[]): void {
  for (const entry of objects) {
    const finding = checkKubeApi(entry.apiVersion, entry.kind, kubeVersion);
    if (finding)
      (finding.severity === KubeApiSeverity.REMOVED ? problems : warnings).push({
        constructPath: entry.owner.node.path,
        message: finding.message,
      });
  }
}

/** Runs `node.validate()` of every construct of the chart (not of charts nested in it): cdk8s-plus's checks and helm-synth's. */
export function validateConstructs(root: IConstruct, prune: (construct: IConstruct) => boolean = HelmChart.isHelmChart): Problem[] {
  const problems: Problem[] = [];
  const visit = (construct: IConstruct): void => {
    for (const message of construct.node.validate()) problems.push({ constructPath: construct.node.path, message });
    for (const child of construct.node.children) if (!prune(child)) visit(child);
  };
  visit(root);
  return problems;
}

/**
 * Tokens printed into a template whose default render holds Helm's `<no value>`: Helm deletes that
 * text from every rendered template, so the chart would render its own default without it.
 */
function noValueDefaults(chart: HelmChart, used: ReadonlySet<Token>, context: ResolveContext): Problem[] {
  return [...used]
    .filter((token) => JSON.stringify(token.preview(context) ?? '').includes(HELM_NO_VALUE))
    .map((token) => ({
      constructPath: chart.node.path,
      message: `the default of ${token.description} holds ${JSON.stringify(HELM_NO_VALUE)}, which Helm deletes from rendered templates: the chart would render it without that text`,
    }));
}

/**
 * Boolean tokens the chart handed out that reached no template nor NOTES.txt. `asBoolean()` hands
 * out a new token per call, so one missing means the code it was given to branched on it (a
 * marker is truthy) or dropped it: the chart would be built as if it were true, whatever the value.
 */
function unusedBooleanTokens(chart: HelmChart, used: ReadonlySet<Token>, notes: readonly TextPart[] = []): Problem[] {
  used = new Set([...used, ...notes.filter((part): part is Token => typeof part !== 'string')]);
  return tokensOwnedBy(chart)
    .filter((token) => token.use === TokenUse.BOOLEAN && !used.has(token))
    .map((token) => ({
      constructPath: chart.node.path,
      message: `${token.description} was handed out as a boolean token (asBoolean()) that reached no template: the code it was given to branches on it (cdk8s-plus tests isolate, select, spread and similar props with \`if\`) or drops it, so the chart would be built as if it were true whatever the value. Branch in the chart instead, on the value itself: Template.of(x).enableWhen(value) or Template.of(x).setIf(path, value, ...); asBoolean() suits props written into the object as they are (automountServiceAccountToken, hostNetwork, readOnlyRootFilesystem, ...)`,
    }));
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
  return emitTree(jsonNode(doc) as MapNode, { chartName: m.name, template: false });
}
