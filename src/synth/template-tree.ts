import { describeValue, HelmSynthError } from '../errors';
import { ListMapKey } from '../chart/kubernetes-schema';
import { describeParts, TextPart, Token, TokenUse } from '../tokens/token';
import { Condition } from '../values/condition';

/**
 * The one intermediate form between an object's `toJson()` and its template text: YAML structure
 * with typed nodes where template text goes. Literal text is only ever a `literal` node or a map
 * key, and the emitter escapes it; template text is only made from the other nodes, so the two can
 * never be confused.
 */
export type TemplateNode = LiteralNode | ScalarNode | BlockNode | MapNode | ListNode | ChoiceNode;

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

/**
 * A field or list item written by `setIf`: the value of the first branch whose condition holds
 * (`{{- if }}` / `{{- else if }}`), else `otherwise` (`{{- else }}`); with no `otherwise` the field
 * or item is left out. Only a field's or item's value, or the `otherwise` of another choice.
 */
export interface ChoiceNode {
  readonly kind: 'choice';
  /** Conditions and values in recording order: the first that holds wins. */
  readonly branches: ChoiceBranch[];
  /** The value when no branch holds: the construct's value, or what was written before. */
  otherwise?: TemplateNode;
  /**
   * Made by an override below this path that had to create the field under its condition: a later
   * `setIf` on this path is tested before it.
   */
  readonly created?: boolean;
}

/** One `if` of a choice. */
export interface ChoiceBranch {
  readonly condition: Condition;
  value: TemplateNode;
}

/** A map whose entries are fields, included helpers and spread values. */
export interface MapNode {
  readonly kind: 'map';
  entries: MapEntry[];
}

/** One entry of a map. */
export type MapEntry = FieldEntry | IncludeEntry | SpreadEntry;

/** `key: value` (inside `{{- if }}` when the value is a choice). A map has at most one field per key. */
export interface FieldEntry {
  readonly kind: 'field';
  readonly key: string;
  value: TemplateNode;
}

/** The map entries a helper prints: `{{- include "<chart>.labels" . | nindent N }}`. */
export interface IncludeEntry {
  readonly kind: 'include';
  readonly template: string;
}

/**
 * The entries of a map value, except keys the map writes at render time (its fields, helper keys,
 * the keys of earlier spreads) and keys removed after it: `{{- with omit X "k" }}{{- toYaml . }}`.
 */
export interface SpreadEntry {
  readonly kind: 'spread';
  readonly token: Token;
  /** Keys `remove`d after the merge: left out of the value. */
  readonly removed?: string[];
}

/** A list of items and spliced list values. */
export interface ListNode {
  readonly kind: 'list';
  readonly items: ListItem[];
  /** Set on a list-map list with values spliced in: its template refuses a values entry whose key the list has. */
  keyedBy?: ListKeys;
}

/** The keys of a list-map list (`env` by name, `ports` by port and protocol), for the render-time check of spliced values. */
export interface ListKeys {
  /** The fields Kubernetes identifies the list's entries by. */
  readonly keys: readonly ListMapKey[];
  /** The list's path, for messages. */
  readonly path: string;
}

/** One item of a list: a node (inside `{{- if }}` when it is a choice), or the items of a list value spliced in place. */
export type ListItem = { readonly kind: 'item'; value: TemplateNode } | { readonly kind: 'splice'; readonly token: Token };

/** A literal node. */
export function literal(value: string | number | boolean | null): LiteralNode {
  return { kind: 'literal', value };
}

/** A map node of fields. */
export function mapOf(fields: ReadonlyArray<readonly [string, TemplateNode]>): MapNode {
  return { kind: 'map', entries: fields.map(([key, value]) => ({ kind: 'field', key, value })) };
}

/** The field of a map with that key, if any. */
export function fieldOf(map: MapNode, key: string): FieldEntry | undefined {
  return map.entries.find((e): e is FieldEntry => e.kind === 'field' && e.key === key);
}

/** A choice as one if / else-if chain: the branches of the choices in its `otherwise`, in order, after its own. */
export function flatChoice(choice: ChoiceNode): { branches: ChoiceBranch[]; otherwise?: TemplateNode } {
  const branches = [...choice.branches];
  let otherwise = choice.otherwise;
  while (otherwise?.kind === 'choice') {
    branches.push(...otherwise.branches);
    otherwise = otherwise.otherwise;
  }
  return { branches, otherwise };
}

/** The conditions under which a field or item is written at all: none when it always is. */
export function presenceConditions(node: TemplateNode): Condition[] | undefined {
  if (node.kind !== 'choice') return undefined;
  const flat = flatChoice(node);
  return flat.otherwise ? undefined : flat.branches.map((b) => b.condition);
}

/**
 * The maps at a path of keys, one per branch of the `setIf` fields on the way (an `else` is made
 * where missing), made with the maps on the way when missing; a whole map from a value becomes that
 * map's spread entries.
 */
export function ensureMaps(node: MapNode, keys: readonly string[], where: string, purpose: string): MapNode[] {
  const walk = (map: MapNode, depth: number): MapNode[] => {
    if (depth === keys.length) return [map];
    const key = keys[depth];
    let field = fieldOf(map, key);
    if (!field) {
      field = { kind: 'field', key, value: { kind: 'map', entries: [] } };
      map.entries.push(field);
    }
    return mapsIn(field, () => keys.slice(0, depth + 1).join('.')).flatMap((inner) => walk(inner, depth + 1));
  };
  const fail = (at: string, node: TemplateNode): never => {
    throw new HelmSynthError(where, `${at} holds ${describeNode(node)}, not a map, so ${purpose} cannot be written into ${keys.join('.')}`);
  };
  function mapsIn(holder: { value: TemplateNode }, at: () => string): MapNode[] {
    const value = holder.value;
    if (value.kind === 'choice') {
      const otherwise = {
        get value(): TemplateNode {
          return (value.otherwise ??= { kind: 'map', entries: [] });
        },
        set value(made: TemplateNode) {
          value.otherwise = made;
        },
      };
      return [...value.branches.flatMap((branch) => mapsIn(branch, at)), ...mapsIn(otherwise, at)];
    }
    if (value.kind === 'literal' && value.value === null) holder.value = { kind: 'map', entries: [] };
    else if (value.kind === 'block' && value.token.use === TokenUse.MAP)
      holder.value = { kind: 'map', entries: [{ kind: 'spread', token: value.token }] };
    else if (value.kind !== 'map') fail(at(), value);
    return [holder.value as MapNode];
  }
  return walk(node, 0);
}

/** What a node holds, for messages: `the list [...]`, `"text"`, `value x (a list)`. */
function describeNode(node: TemplateNode): string {
  switch (node.kind) {
    case 'literal':
      return describeValue(node.value);
    case 'scalar':
      return `the text ${describeParts(node.parts)}`;
    case 'block':
      return `${node.token.description} (a ${node.token.use})`;
    case 'list':
      return 'a list';
    case 'map':
      return 'a map';
    case 'choice':
      return 'a value chosen by a condition';
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
