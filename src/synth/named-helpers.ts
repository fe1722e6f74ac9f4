import { expressionName } from '../chart/expression-names';
import { HELPER_NAMES } from '../chart/resource-naming';
import { goString } from '../tokens/go-template';
import { ResolveContext, TextPart, Token } from '../tokens/token';
import { scalarTemplate } from '../tokens/token';
import { MapNode, TemplateNode } from './template-tree';
import { LINE_BREAKS } from './yaml-text';

/** An action (`{{ ... }}`) longer than this many characters becomes a named helper. */
export const MAX_INLINE_ACTION_LENGTH = 120;
/** Longest helper name after the chart prefix, before a number that makes it unique. */
const MAX_NAME_LENGTH = 48;
/** Uses named in a helper's comment; more are counted. */
const LISTED_USES = 6;

/** Which scalar actions become named helpers. */
export interface NamedHelperRules {
  /** Actions longer than this many characters become helpers. @default MAX_INLINE_ACTION_LENGTH */
  readonly maxInlineLength?: number;
}

/** One object's tree and how the helper comments name it (`Deployment web/Server`). */
export interface NamedObjectTree {
  /** The object's template tree. */
  readonly tree: MapNode;
  /** Its kind and construct path, as the comments name it. */
  readonly source: string;
}

interface ActionUses {
  readonly action: string;
  readonly tokens: readonly Token[];
  /** Field paths by object. */
  readonly sources: Map<string, string[]>;
}

interface Helper {
  readonly name: string;
  readonly uses: ActionUses;
}

/**
 * The scalar actions of a chart's templates that `_helpers.tpl` defines as named helpers: those
 * longer than about 120 characters, and computed expressions (more than a value, a release field
 * or a name) used by more than one object. A use is written `{{ include "<chart>.<name>" . }}`
 * and the helper's body is the very action it replaces, pipeline and quoting included, so the
 * rendered text is the same byte for byte: `include` returns what the action prints (Helm's
 * `<no value>` text included, deleted from the file as before), and the text printed is the
 * string it returns. Every scalar is written where `.` is the root context (never inside `with`
 * or `range`), so `.` and `$` in the helper are the same as at the use; actions reading a
 * template variable (`$name`) stay inline.
 */
export class NamedHelpers {
  /** Plans the helpers of a chart from its objects' trees, in order. */
  public static plan(objects: readonly NamedObjectTree[], context: ResolveContext, rules: NamedHelperRules = {}): NamedHelpers {
    const maxInline = rules.maxInlineLength ?? MAX_INLINE_ACTION_LENGTH;
    const uses = new Map<string, ActionUses>();
    for (const { tree, source } of objects) {
      visitScalars(tree, '', (parts, stringField, path) => {
        const action = scalarTemplate(parts, context, stringField);
        if (!extractable(action)) return;
        let found = uses.get(action);
        if (!found) {
          found = { action, tokens: [...new Set(parts.filter((p): p is Token => typeof p !== 'string'))], sources: new Map() };
          uses.set(action, found);
        }
        const paths = found.sources.get(source) ?? [];
        paths.push(path);
        found.sources.set(source, paths);
      });
    }
    const taken = new Set<string>(HELPER_NAMES);
    const helpers: Helper[] = [];
    for (const found of uses.values()) {
      const long = found.action.length > maxInline;
      const sharedComputed = found.sources.size > 1 && found.tokens.some((t) => !isPlainOperand(t.operand(context)));
      if (long || sharedComputed) helpers.push({ name: uniqueName(actionName(found.tokens), taken), uses: found });
    }
    return new NamedHelpers(context.chartName, helpers);
  }

  private readonly byAction: ReadonlyMap<string, string>;

  private constructor(
    private readonly chartName: string,
    private readonly helpers: readonly Helper[],
  ) {
    this.byAction = new Map(helpers.map((h) => [h.uses.action, `{{ include ${goString(this.fullName(h))} . }}`]));
  }

  /** The helpers' names, without the chart prefix, in order. */
  public get names(): string[] {
    return this.helpers.map((h) => h.name);
  }

  /** The text to write for a scalar action: an `include` of its helper, or the action itself. */
  public action(action: string): string {
    return this.byAction.get(action) ?? action;
  }

  /** The `define`s for `_helpers.tpl`, each after a comment naming what it reads and where it is used; empty when none. */
  public definitions(): string {
    return this.helpers
      .map((helper) => {
        const { tokens, sources } = helper.uses;
        const uses = [...sources].map(([source, paths]) => `- ${source}: ${paths.join(', ')}`);
        const listed = uses.length > LISTED_USES ? [...uses.slice(0, LISTED_USES), `- and ${uses.length - LISTED_USES} more`] : uses;
        return [
          '',
          '{{/*',
          ...commentText(`${helper.name}: ${tokens.map((t) => t.description).join('; ')}.`),
          'Used by:',
          ...listed.flatMap(commentText),
          '*/}}',
          `{{- define ${goString(this.fullName(helper))} -}}`,
          helper.uses.action,
          '{{- end }}',
          '',
        ].join('\n');
      })
      .join('');
  }

  private fullName(helper: Helper): string {
    return `${this.chartName}.${helper.name}`;
  }
}

/** Calls `found` for every scalar of a tree, with its field path (`spec.containers[0].image`). */
function visitScalars(
  node: TemplateNode,
  path: string,
  found: (parts: readonly TextPart[], stringField: boolean, path: string) => void,
): void {
  switch (node.kind) {
    case 'scalar':
      found(node.parts, node.stringField, path);
      return;
    case 'map':
      for (const entry of node.entries)
        if (entry.kind === 'field') visitScalars(entry.value, path ? `${path}.${entry.key}` : entry.key, found);
      return;
    case 'list':
      node.items.forEach((item, i) => {
        if (item.kind === 'item') visitScalars(item.value, `${path}[${i}]`, found);
      });
      return;
    case 'choice':
      for (const branch of node.branches) visitScalars(branch.value, path, found);
      if (node.otherwise) visitScalars(node.otherwise, path, found);
      return;
    default:
      return;
  }
}

/**
 * True for an action a helper can print unchanged: one `{{ ... }}` without whitespace trimming,
 * reading no template variable but `$` (a variable of the template is not visible in a helper).
 */
function extractable(action: string): boolean {
  return action.startsWith('{{ ') && action.endsWith(' }}') && !action.endsWith(' -}}') && !/\$[A-Za-z0-9_]/.test(action);
}

const GO_STRING = '"(?:[^"\\\\]|\\\\.)*"';
const PLAIN_OPERAND = new RegExp(
  `^\\(?(?:(?:\\$|\\.[A-Za-z_]\\w*)(?:\\.[A-Za-z_]\\w*)*|include ${GO_STRING} (?:\\.|\\(list \\. ${GO_STRING}\\)))(?: \\| (?:int64|float64|toString|toJson|quote))*\\)?$`,
);

/** A value, a release field or an object name, maybe converted: reading it inline is as clear as any helper name. */
function isPlainOperand(operand: string): boolean {
  return PLAIN_OPERAND.test(operand);
}

/** A helper name from what the action reads: each token's given name, value path, object path or description, the first two joined. */
function actionName(tokens: readonly Token[]): string {
  const names = [...new Set(tokens.map(tokenName))].filter(Boolean).slice(0, 2);
  const joined = names.map((name, i) => (i ? name[0].toUpperCase() + name.slice(1) : name)).join('');
  return (joined || 'expression').slice(0, MAX_NAME_LENGTH);
}

function tokenName(token: Token): string {
  const given = expressionName(token);
  if (given) return camelCase(given);
  const value = /^value (.+)$/.exec(token.description);
  if (value) return camelCase(value[1]);
  const name = /^name of (.+)$/.exec(token.description);
  if (name) return camelCase(`${name[1].split('/').slice(1).join(' ')} name`);
  return camelCase(token.description.split(/\s+/).slice(0, 4).join(' '));
}

/** Words of letters and digits as one lower camel case name starting with a letter. */
function camelCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w[0].toLowerCase() + w.slice(1))).join('');
  return !name || /^[A-Za-z]/.test(name) ? name : `x${name}`;
}

function uniqueName(name: string, taken: Set<string>): string {
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}${n}`;
  taken.add(unique);
  return unique;
}

/** Text for a template comment action: one line per line break, without the star-slash that would end it. */
function commentText(text: string): string[] {
  return text.split(LINE_BREAKS).map((line) => line.replaceAll('*/', '* /'));
}
