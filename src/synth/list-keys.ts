import { describeValue } from '../errors';
import { fieldPathText, FieldPathSegment } from '../chart/field-path';
import { ListMapKey, SchemaCursor } from '../chart/kubernetes-schema';
import { goString, unwrapParentheses } from '../tokens/go-template';
import { ResolveContext, Token, TokenUse } from '../tokens/token';
import { printfArgument } from './expression';
import { FieldEntry, ListItem, ListKeys, ListNode, MapNode, TemplateNode } from './template-tree';

type Path = readonly FieldPathSegment[];

/**
 * Checks every list-map list of an object (containers, env, ports, volumes, volumeMounts, ... as
 * the schema says) for two entries with one key: server-side apply (Helm 4) refuses such an
 * object. Duplicates among the entries the construct writes are errors now; a list with a values
 * list spliced in is marked (`keyedBy`) so that its template refuses, at render, a values entry
 * whose key the list already has.
 */
export function checkListKeys(root: MapNode, cursor: SchemaCursor, fail: (path: Path, message: string) => never): void {
  visit(root, cursor, [], fail);
}

function visit(node: TemplateNode, cursor: SchemaCursor, path: Path, fail: (path: Path, message: string) => never): void {
  if (cursor.isFree) return;
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      if (entry.kind !== 'field') continue;
      const next = cursor.step(entry.key);
      if (typeof next === 'string') continue;
      const keys = next.listMapKeys;
      if (keys && entry.value.kind === 'block' && entry.value.token.use === TokenUse.LIST) {
        entry.value = { kind: 'list', items: [{ kind: 'splice', token: entry.value.token }] };
      }
      visit(entry.value, next, [...path, entry.key], fail);
    }
    return;
  }
  if (node.kind !== 'list') return;
  const itemCursor = cursor.step(0);
  const keys = cursor.listMapKeys;
  if (keys) {
    checkEntries(node, keys, path, fail);
    if (node.items.some((item) => item.kind === 'splice')) node.keyedBy = { keys, path: fieldPathText(path) };
  }
  if (typeof itemCursor === 'string') return;
  let index = 0;
  for (const item of node.items) {
    if (item.kind === 'item') visit(item.value, itemCursor, [...path, index++], fail);
  }
}

type Item = Extract<ListItem, { kind: 'item' }>;

function checkEntries(list: ListNode, keys: readonly ListMapKey[], path: Path, fail: (path: Path, message: string) => never): void {
  const seen = new Map<string, { index: number; item: Item }>();
  let index = 0;
  for (const item of list.items) {
    if (item.kind !== 'item') continue;
    const key = literalKey(item.value, keys);
    if (key !== undefined) {
      const id = JSON.stringify(key);
      const earlier = seen.get(id);
      const bothApply =
        earlier && (!earlier.item.condition || !item.condition || earlier.item.condition.expression === item.condition.expression);
      if (earlier && bothApply) {
        fail(
          path,
          `entries [${earlier.index}] and [${index}] both have ${describeKey(keys, key)}: Kubernetes identifies the entries of this list by ${keys.map((k) => k.field).join(' and ')}, and server-side apply (Helm 4) refuses two entries with one key; remove or rename one`,
        );
      }
      if (!earlier) seen.set(id, { index, item });
    }
    index++;
  }
}

/** The key of an entry when it is literal (a missing field takes the API server's default), else undefined. */
function literalKey(node: TemplateNode, keys: readonly ListMapKey[]): string[] | undefined {
  if (node.kind !== 'map') return undefined;
  const values: string[] = [];
  for (const key of keys) {
    const field = keyField(node, key.field);
    if (!field) {
      if (key.default === undefined) return undefined;
      values.push(key.default);
    } else if (field.value.kind === 'literal' && field.value.value !== null) {
      values.push(String(field.value.value));
    } else return undefined;
  }
  return values;
}

function keyField(map: MapNode, name: string): FieldEntry | undefined {
  return map.entries.find((e): e is FieldEntry => e.kind === 'field' && e.key === name && e.condition === undefined);
}

function describeKey(keys: readonly ListMapKey[], values: readonly string[]): string {
  return keys.map((k, i) => `${k.field} ${describeValue(values[i])}`).join(' and ');
}

/**
 * The template lines before a values list spliced into a list-map list: the keys the list already
 * has (conditional entries when their condition holds), then every values item's key, refused by
 * `fail` when taken. `variable` names the list's key list; `declare` is true for its first splice.
 */
export function keyCheckLines(
  list: ListNode,
  keyed: ListKeys,
  token: Token,
  context: ResolveContext,
  pad: string,
  variable: string,
  declare: boolean,
): string[] {
  const lines: string[] = [];
  if (declare) {
    const always: string[] = [];
    const conditional: string[] = [];
    for (const item of list.items) {
      if (item.kind !== 'item') continue;
      const key = keyExpression(item.value, keyed.keys, context);
      if (key === undefined) continue;
      if (item.condition)
        conditional.push(
          `${pad}{{- if ${unwrapParentheses(item.condition.expression)} }}{{- ${variable} = append ${variable} ${key} }}{{- end }}`,
        );
      else always.push(key);
    }
    lines.push(`${pad}{{- ${variable} := list${always.map((k) => ` ${k}`).join('')} }}`, ...conditional);
  }
  const format = keyed.keys.map(() => '%v').join('/');
  const itemArgs = keyed.keys.map((k) => (k.default === undefined ? `.${k.field}` : `(.${k.field} | default ${goString(k.default)})`));
  const fields = keyed.keys.map((k) => k.field).join('/');
  const printable = (text: string): string => text.replace(/%/g, '%%');
  const message = `${printable(`${token.description}: an entry with ${fields} `)}%s${printable(` is already in ${keyed.path} (Kubernetes identifies its entries by ${fields}, and server-side apply refuses two entries with one key): give it another ${fields} or leave it out`)}`;
  lines.push(
    `${pad}{{- range ${unwrapParentheses(token.operand(context))} }}`,
    `${pad}{{- $key := printf ${goString(format)} ${itemArgs.join(' ')} }}`,
    `${pad}{{- if has $key ${variable} }}`,
    `${pad}{{- fail (printf ${goString(message)} $key) }}`,
    `${pad}{{- end }}`,
    `${pad}{{- ${variable} = append ${variable} $key }}`,
    `${pad}{{- end }}`,
  );
  return lines;
}

/** A construct entry's key as a template expression (literal text, or the values it reads), or undefined when it has none. */
function keyExpression(node: TemplateNode, keys: readonly ListMapKey[], context: ResolveContext): string | undefined {
  if (node.kind !== 'map') return undefined;
  let format = '';
  const args: string[] = [];
  for (const [i, key] of keys.entries()) {
    if (i > 0) format += '/';
    const field = keyField(node, key.field);
    const value = field?.value;
    if (!value) {
      if (key.default === undefined) return undefined;
      format += key.default.replace(/%/g, '%%');
    } else if (value.kind === 'literal' && value.value !== null) {
      format += String(value.value).replace(/%/g, '%%');
    } else if (value.kind === 'scalar') {
      for (const part of value.parts) {
        if (typeof part === 'string') format += part.replace(/%/g, '%%');
        else {
          format += '%v';
          args.push(printfArgument(part, context));
        }
      }
    } else return undefined;
  }
  return args.length ? `(printf ${goString(format)} ${args.join(' ')})` : goString(format);
}

/** `$keys<n>`: the variable of a list's keys in one template. */
export function keysVariable(n: number): string {
  return `$listKeys${n}`;
}
