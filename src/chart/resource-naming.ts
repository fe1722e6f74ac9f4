import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { HelmSynthError } from '../errors';
import { goString } from '../tokens/go-template';
import { PREVIEW_RELEASE } from '../tokens/release';
import { literalIdText, ObjectNaming, ResolveContext, Token, TokenUse } from '../tokens/token';
import { objectOwners, templateSettings } from './template';

/** The named templates every chart's `templates/_helpers.tpl` defines, prefixed with the chart name. */
export const HELPER_NAMES = [
  'name',
  'fullname',
  'resourceName',
  'chart',
  'appVersionLabel',
  'labels',
  'selectorLabels',
  'serviceAccountName',
] as const;

/** One of the chart's helpers. */
export type HelperName = (typeof HELPER_NAMES)[number];

/** A helper's full name for a chart, e.g. `web.fullname`. */
export function helperName(chart: string, helper: HelperName): string {
  return `${chart}.${helper}`;
}

/** Longest name suffix: leaves room in 63 characters for a base name and a hash of it. */
export const MAX_SUFFIX_LENGTH = 40;
const IMPLICIT_IDS = new Set(['Resource', 'Default']);
const NAME_TOKEN = Symbol.for('helm-synth.NameToken');
const OBJECT_NAME_TOKEN = Symbol.for('helm-synth.object-name-token');

/** `DbBootstrap_Hook 2` → `db-bootstrap-hook-2`. */
export function kebabCase(id: string): string {
  let kebab = KEBAB_CASE.get(id);
  if (kebab === undefined) {
    if (KEBAB_CASE.size >= 10_000) KEBAB_CASE.clear();
    kebab = toKebabCase(id);
    KEBAB_CASE.set(id, kebab);
  }
  return kebab;
}

/** `kebabCase` of the ids seen lately: a chart names its objects from the same ids again and again. */
const KEBAB_CASE = new Map<string, string>();

function toKebabCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Cuts a suffix to {@link MAX_SUFFIX_LENGTH} characters, ending in 8 hex characters of its hash so cut suffixes stay distinct. */
export function shortenSuffix(suffix: string): string {
  if (suffix.length <= MAX_SUFFIX_LENGTH) return suffix;
  const hash = createHash('sha256').update(suffix).digest('hex').slice(0, 8);
  return `${suffix.slice(0, MAX_SUFFIX_LENGTH - 9).replace(/-+$/, '')}-${hash}`;
}

/**
 * The name suffix of an object: set with `Template.nameSuffix`, else its construct path below its
 * chart in kebab case (`Server/Service` gives `server-service`), cut with a hash past 40 characters.
 */
export function nameSuffixOf(object: ApiObject, chart: IConstruct, settings = templateSettings(object)): string {
  if (settings.nameSuffix !== undefined) return settings.nameSuffix;
  if (settings.sameNameAs && settings.sameNameAs !== object) return nameSuffixOf(nameSource(object, settings.sameNameAs), chart);
  const below = object.node.scopes.slice(chart.node.scopes.length);
  return shortenSuffix(
    below
      .map((scope) => literalIdText(scope.node.id))
      .filter((id) => !IMPLICIT_IDS.has(id))
      .map(kebabCase)
      .filter((part) => part !== '')
      .join('-'),
  );
}

/**
 * The literal that stands for an object's name inside a construct id (cdk8s-plus's
 * `${pv.name}PVC`): the path of the construct users name below its chart, ids joined by `-`.
 */
function nameIdText(object: ApiObject, chart: IConstruct): string {
  const owner = objectOwners(object)[0];
  const below = owner.node.scopes.slice(owner.node.scopes.includes(chart) ? chart.node.scopes.length : 1);
  return below.map((scope) => literalIdText(scope.node.id)).join('-') || 'Chart';
}

/**
 * The object whose derived suffix an object takes: the end of its `sameNameAs` chain (an object
 * with a `nameSuffix` or no `sameNameAs` of its own). A chain that comes back to an object is an
 * error naming the cycle.
 */
function nameSource(object: ApiObject, first: ApiObject): ApiObject {
  const chain = [object];
  let current = first;
  for (;;) {
    if (chain.includes(current)) {
      const cycle = [...chain.slice(chain.indexOf(current)), current].map((o) => objectOwners(o)[0].node.path);
      throw new HelmSynthError(
        objectOwners(object)[0].node.path,
        `sameNameAs makes a cycle (${cycle.join(' -> ')}): one object of it must have a name of its own (drop its sameNameAs or give it a nameSuffix)`,
      );
    }
    const settings = templateSettings(current);
    if (settings.nameSuffix !== undefined || !settings.sameNameAs || settings.sameNameAs === current) return current;
    chain.push(current);
    current = settings.sameNameAs;
  }
}

/** How an object is named: as collection stored it in the context, else from its settings (outside a synthesis). */
function objectNaming(object: ApiObject, chart: IConstruct, context: ResolveContext): ObjectNaming {
  const stored = context.names?.get(object);
  if (stored) return stored;
  const settings = templateSettings(object);
  return { suffix: nameSuffixOf(object, chart, settings), replacedBy: settings.replacedBy };
}

/** The Go-template operand of a resource's release-scoped name in chart `chartName`. */
export function resourceNameExpression(chartName: string, suffix: string): string {
  return `(include ${goString(helperName(chartName, 'resourceName'))} (list . ${goString(suffix)}))`;
}

/** A token that stands for an object's release-scoped name, computed at synthesis (so a later `nameSuffix` still applies). */
export class NameToken extends Token {
  /** True for a name token of any copy of the library. */
  public static isNameToken(x: unknown): x is NameToken {
    return Token.isToken(x) && NAME_TOKEN in x;
  }

  /** The name token of an object of `chart` (one per object). */
  public static of(object: ApiObject, chart: IConstruct): NameToken {
    const holder = object as unknown as { [OBJECT_NAME_TOKEN]?: NameToken };
    if (!holder[OBJECT_NAME_TOKEN]) Object.defineProperty(object, OBJECT_NAME_TOKEN, { value: new NameToken(object, chart) });
    return holder[OBJECT_NAME_TOKEN]!;
  }

  /** The object named. */
  public readonly object: ApiObject;

  private constructor(object: ApiObject, chart: IConstruct) {
    super({
      use: TokenUse.STRING,
      owner: chart,
      description: `name of ${literalIdText(objectOwners(object)[0].node.path)}`,
      idText: () => nameIdText(object, chart),
      operand: (context) => {
        const { suffix, replacedBy } = objectNaming(object, chart, context);
        const name = resourceNameExpression(context.chartName, suffix);
        return replacedBy ? `(default ${name} ${replacedBy.expression})` : name;
      },
      preview: (context) =>
        [`${PREVIEW_RELEASE.name}-${context.chartName}`, objectNaming(object, chart, context).suffix].filter(Boolean).join('-'),
    });
    this.object = object;
    Object.defineProperty(this, NAME_TOKEN, { value: true });
  }
}
