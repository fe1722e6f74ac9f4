import { IConstruct } from 'constructs';
import { describeValue, HelmSynthError, readableMessage, readablePath } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { Hook } from '../hooks/hook';
import { nameSuffixOf } from '../chart/resource-naming';
import { hasToken, literalIdText, ResolveContext, splitTokens, Token, tokensOwnedBy, TokenUse } from '../tokens/token';
import { unwrapParentheses } from '../tokens/go-template';
import { checkPodSecurity } from '../policy/pod-security';
import { checkKubeApi, KubeApiSeverity } from '../policy/kube-api-versions';
import { buildTree } from './build-tree';
import { renderChartReadme } from './chart-readme';
import { ChartObject, collectChartObjects, Problem, workloadComponents } from './collect';
import { emitTree, withDocumentEnd } from './emit-template';
import { escapeTemplateComment } from './escape';
import { addChecksums } from './checksums';
import { checkHookDependencies, PodReads, podReads } from './hook-dependencies';
import { renderHelpers } from './helpers-tpl';
import { CRD_KIND, jsonAt, POD_SPEC_PATHS } from '../chart/kinds';
import { SchemaCursor } from '../chart/kubernetes-schema';
import { isDnsLabel, isDnsSubdomain } from '../tokens/checks';
import { renderNotes } from './notes';
import { defaultRenderKeyProblems } from './list-keys';
import { previewTree } from './preview';
import { jsonNode, MapNode } from './template-tree';
import { renderValuesFile } from './values-file';
import { renderValuesSchema } from './values-schema';
import { commentLines, HELM_NO_VALUE, LINE_BREAKS } from './yaml-text';

/** A synthesized chart: its files by path relative to the chart directory, and what synthesis saw. */
export interface ChartFiles {
  /** The chart name (its folder). */
  readonly name: string;
  /** Every file, by path relative to the chart folder. */
  readonly files: ReadonlyMap<string, string>;
  /** Counts for the CLI's summary. */
  readonly summary: { readonly version: string; readonly templates: number; readonly values: number; readonly hooks: number };
  /** The chart's objects as synthesis saw them (for the lifecycle plan). */
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

/**
 * Synthesizes every file of one chart in memory. Runs the validations of its constructs (cdk8s's
 * and helm-synth's) and every synthesis check, and throws one HelmSynthError listing all problems.
 */
export function synthesizeChart(chart: HelmChart): ChartFiles {
  const problems: Problem[] = validateConstructs(chart);
  const warnings: Problem[] = [];
  const objects = collectChartObjects(chart, problems);
  const orderProblems = Hook.orderProblems(chart);
  if (orderProblems.length) throw HelmSynthError.of([...problems, ...orderProblems]);
  const reads = podReads(objects);
  checkHookDependencies(objects, reads, problems, warnings);
  checkKubeApis(objects, chart.metadata.kubeVersion, problems, warnings);
  const components = workloadComponents(objects);
  const name = chart.chartName;
  const context: ResolveContext = { chartName: name, suffixes: new Map(objects.map((o) => [o.object, o.suffix])) };

  const templates = new Map<string, string>();
  const used = new Set<Token>();
  for (const entry of objects) {
    try {
      templates.set(
        entry.file,
        entry.kind === CRD_KIND ? renderCrd(entry) : renderObject(entry, chart, reads, components, context, warnings, used),
      );
    } catch (error) {
      if (!HelmSynthError.isHelmSynthError(error)) throw error;
      problems.push(...error.problems);
    }
  }
  const files = new Map<string, string>();
  try {
    files.set('Chart.yaml', renderChartYaml(chart));
    files.set('values.yaml', renderValuesFile(chart.values, name));
    files.set('values.schema.json', renderValuesSchema(chart.values));
    files.set('README.md', renderChartReadme(chart, objects));
    files.set('.helmignore', HELMIGNORE);
    files.set('templates/_helpers.tpl', renderHelpers(name));
    files.set('templates/NOTES.txt', renderNotes(chart, objects));
  } catch (error) {
    if (!HelmSynthError.isHelmSynthError(error)) throw error;
    problems.push(...error.problems);
  }
  if (!problems.length) problems.push(...unusedBooleanTokens(chart, used), ...noValueDefaults(chart, used, context));
  if (problems.length) throw HelmSynthError.of(problems);
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

function renderObject(
  entry: ChartObject,
  chart: HelmChart,
  reads: PodReads,
  components: ReadonlyMap<string, string>,
  context: ResolveContext,
  warnings: Problem[],
  used: Set<Token>,
): string {
  const tree: MapNode = buildTree(entry.json, entry.settings.overrides, {
    chart,
    object: entry.object,
    where: entry.owner.node.path,
    kind: entry.kind,
    component: entry.component,
    fixedName: entry.settings.fixedName,
    hookAnnotations: entry.hook?.annotations,
    components,
    suffixOf: (object) => context.suffixes?.get(object) ?? nameSuffixOf(object, chart),
    used,
  });
  addChecksums(tree, entry, reads.get(entry) ?? [], chart);
  const condition = entry.settings.renderCondition;
  if (!condition || condition.preview()) {
    const cursor = SchemaCursor.forKind(entry.apiVersion, entry.kind);
    const [problem] = defaultRenderKeyProblems(tree, cursor, () => previewTree(tree, context));
    if (problem) throw new HelmSynthError(entry.owner.node.path, problem);
  }
  if (POD_SPEC_PATHS[entry.kind] && (!condition || condition.preview())) {
    for (const violation of checkPodSecurity(previewTree(tree, context))) {
      warnings.push({
        constructPath: entry.owner.node.path,
        message: `with default values, breaks the Pod Security Standard "${violation.level}" (${violation.rule}) at ${violation.field}: ${violation.message}`,
      });
    }
  }
  const body = withDocumentEnd(emitTree(tree, context));
  const header = `${escapeTemplateComment(headerComment(entry))}\n`;
  if (!condition) return `${header}${body}`;
  return `{{- if ${unwrapParentheses(condition.expression)} }}\n${header}${body}{{- end }}\n`;
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
function unusedBooleanTokens(chart: HelmChart, used: ReadonlySet<Token>): Problem[] {
  for (const part of splitTokens(chart.notes ?? '') ?? []) if (typeof part !== 'string') used = new Set([...used, part]);
  return tokensOwnedBy(chart)
    .filter((token) => token.use === TokenUse.BOOLEAN && !used.has(token))
    .map((token) => ({
      constructPath: chart.node.path,
      message: `${token.description} was handed out as a boolean token (asBoolean()) that reached no template: the code it was given to branches on it (cdk8s-plus tests isolate, select, spread and similar props with \`if\`) or drops it, so the chart would be built as if it were true whatever the value. Branch in the chart instead, on the value itself: Template.of(x).enableWhen(value) or Template.of(x).setIf(path, value, ...); asBoolean() suits props written into the object as they are (automountServiceAccountToken, hostNetwork, readOnlyRootFilesystem, ...)`,
    }));
}

/** A CustomResourceDefinition goes to crds/, which Helm installs before the templates and never renders: plain YAML, no tokens. */
function renderCrd(entry: ChartObject): string {
  const where = entry.owner.node.path;
  if (entry.hook || entry.settings.renderCondition || entry.settings.overrides.length) {
    throw new HelmSynthError(
      where,
      'a CustomResourceDefinition goes to crds/, which Helm does not render: it cannot be a hook, be switched by a value or have field overrides',
    );
  }
  if (hasToken(JSON.stringify(entry.json))) {
    throw new HelmSynthError(
      where,
      'a CustomResourceDefinition goes to crds/, which Helm does not render: it cannot hold value, release or name tokens (give it a literal metadata.name <plural>.<group>)',
    );
  }
  const problem = crdNameProblem(entry.json);
  if (problem) throw new HelmSynthError(where, problem);
  return `${headerComment(entry)}\n${emitTree(jsonNode(entry.json) as MapNode, { chartName: '', template: false })}`;
}

/**
 * What is wrong with a CustomResourceDefinition's names, as the API server checks them: its name is
 * `<spec.names.plural>.<spec.group>`, the plural a DNS-1123 label, the group a DNS-1123 subdomain
 * with at least one dot, the whole at most 253 characters.
 */
function crdNameProblem(json: Record<string, unknown>): string | undefined {
  const name = jsonAt(json, ['metadata', 'name']);
  const group = jsonAt(json, ['spec', 'group']);
  const plural = jsonAt(json, ['spec', 'names', 'plural']);
  if (typeof plural !== 'string' || !isDnsLabel(plural))
    return `spec.names.plural ${describeValue(plural)} must be a lower-case DNS-1123 label of at most 63 characters`;
  if (typeof group !== 'string' || !isDnsSubdomain(group) || !group.includes('.'))
    return `spec.group ${describeValue(group)} must be a DNS-1123 subdomain with at least one dot, such as example.com`;
  const expected = `${plural}.${group}`;
  if (name !== expected) return `metadata.name ${describeValue(name)} must be <spec.names.plural>.<spec.group>: ${describeValue(expected)}`;
  if (!isDnsSubdomain(expected))
    return `metadata.name ${describeValue(expected)} is longer than the 253 characters of a DNS-1123 subdomain`;
  return undefined;
}

/** The first line of a template: which object of which construct it is, as one YAML comment line. */
function headerComment(entry: ChartObject): string {
  return commentLines(`${entry.kind} ${literalIdText(entry.object.node.path)}, written by helm-synth.`.split(LINE_BREAKS).join(' '), '')[0];
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
