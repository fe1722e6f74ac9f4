import { describeValue, HelmSynthError } from '../errors';
import { describeText, TextPart, Token, TokenUse } from '../tokens/token';
import { Condition } from '../values/condition';

/**
 * The one intermediate form between an object's `toJson()` and its template text: YAML structure
 * with typed nodes where template text goes. Literal text is only ever a `literal` node or a map
 * key, and the emitter escapes it; template text is only made from the other nodes, so the two can
 * never be confused.
 */
export type TemplateNode = LiteralNode | ScalarNode | BlockNode | MapNode | ListNode;

/** A literal scalar, written as YAML (strings escaped for the template engine). */
export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
}

/** A scalar computed by the template: one token rendered by its use, or literal text and tokens as one `printf`. */
export interface ScalarNode {
  readonly kind: 'scalar';
  /** Literal strings and tokens, at least one token. */
  readonly parts: readonly TextPart[];
  /** The field holds a string in Kubernetes (annotations, labels, env values, ConfigMap data, args): numbers are quoted. */
  readonly stringField: boolean;
}

/** A whole map or list from a value: `{{- with X }}` and `toYaml`, left out when empty. */
export interface BlockNode {
  readonly kind: 'block';
  readonly token: Token;
}

/** A map whose entries are fields, included helpers and spread values. */
export interface MapNode {
  readonly kind: 'map';
  entries: MapEntry[];
}

/** One entry of a map. */
export type MapEntry = FieldEntry | IncludeEntry | SpreadEntry;

/** `key: value`, inside `{{- if }}` when it has a condition. */
export interface FieldEntry {
  readonly kind: 'field';
  readonly key: string;
  value: TemplateNode;
  readonly condition?: Condition;
}

/** The map entries a helper prints: `{{- include "<chart>.labels" . | nindent N }}`. */
export interface IncludeEntry {
  readonly kind: 'include';
  readonly template: string;
}

/** The entries of a map value, except keys the map already has: `{{- with omit X "k" }}{{- toYaml . }}`. */
export interface SpreadEntry {
  readonly kind: 'spread';
  readonly token: Token;
}

/** A list of items and spliced list values. */
export interface ListNode {
  readonly kind: 'list';
  readonly items: ListItem[];
}

/** One item of a list: a node (inside `{{- if }}` when it has a condition), or the items of a list value spliced in place. */
export type ListItem =
  | { readonly kind: 'item'; value: TemplateNode; readonly condition?: Condition }
  | { readonly kind: 'splice'; readonly token: Token };

/** A literal node. */
export function literal(value: string | number | boolean | null): LiteralNode {
  return { kind: 'literal', value };
}

/** A map node of fields. */
export function mapOf(fields: ReadonlyArray<readonly [string, TemplateNode]>): MapNode {
  return { kind: 'map', entries: fields.map(([key, value]) => ({ kind: 'field', key, value })) };
}

/** The unconditional field of a map with that key, if any. */
export function fieldOf(map: MapNode, key: string): FieldEntry | undefined {
  return map.entries.find((e): e is FieldEntry => e.kind === 'field' && e.key === key && e.condition === undefined);
}

/**
 * The map at a path of keys, made (with the maps on the way) when missing; a whole map from a value
 * becomes that map's spread entries. Anything else on the way is a HelmSynthError at `where` (the
 * construct path) naming the field, what it holds and `purpose` (what was to be written).
 */
export function ensureMap(node: MapNode, keys: readonly string[], where: string, purpose: string): MapNode {
  let current = node;
  for (const [depth, key] of keys.entries()) {
    let field = fieldOf(current, key);
    if (!field) {
      field = { kind: 'field', key, value: { kind: 'map', entries: [] } };
      current.entries.push(field);
    }
    if (field.value.kind !== 'map') {
      if (field.value.kind === 'literal' && field.value.value === null) field.value = { kind: 'map', entries: [] };
      else if (field.value.kind === 'block' && field.value.token.use === TokenUse.MAP)
        field.value = { kind: 'map', entries: [{ kind: 'spread', token: field.value.token }] };
      else
        throw new HelmSynthError(
          where,
          `${keys.slice(0, depth + 1).join('.')} holds ${describeNode(field.value)}, not a map, so ${purpose} cannot be written into ${keys.join('.')}`,
        );
    }
    current = field.value as MapNode;
  }
  return current;
}

/** What a node holds, for messages: `the list [...]`, `"text"`, `value x (a list)`. */
function describeNode(node: TemplateNode): string {
  switch (node.kind) {
    case 'literal':
      return describeValue(node.value);
    case 'scalar':
      return `the text ${describeText(node.parts.map((part) => (typeof part === 'string' ? part : part.marker)).join(''))}`;
    case 'block':
      return `${node.token.description} (a ${node.token.use})`;
    case 'list':
      return 'a list';
    case 'map':
      return 'a map';
  }
}

/** The tree of a plain JSON value (no tokens): values.yaml defaults, Chart.yaml, crds/. */
export function jsonNode(value: unknown): TemplateNode {
  if (Array.isArray(value)) return { kind: 'list', items: value.map((item) => ({ kind: 'item', value: jsonNode(item) })) };
  if (value !== null && typeof value === 'object') {
    return { kind: 'map', entries: Object.entries(value).map(([key, item]) => ({ kind: 'field', key, value: jsonNode(item) })) };
  }
  return literal(value as string | number | boolean | null);
}
