import { describeValue } from '../errors';
import { fieldPathText, FieldPathSegment } from '../chart/field-path';
import { ListMapKey, SchemaCursor } from '../chart/kubernetes-schema';
import { goString, unwrapParentheses } from '../tokens/go-template';
import { printfArgument, ResolveContext, TokenUse } from '../tokens/token';
import { Condition } from '../values/condition';
import { FieldEntry, flatChoice, ListItem, ListKeys, ListNode, MapNode, TemplateNode } from './template-tree';

type Path = readonly FieldPathSegment[];

/**
 * Checks every list-map list of an object (containers, env, ports, volumes, volumeMounts, ... as
 * the schema says) for two entries with one key: server-side apply (Helm 4) refuses such an
 * object. Duplicates among the literal entries the construct writes are errors now; a list whose
 * keys are known only at render (values spliced in, an entry from a values map, a key from a value,
 * conditional entries that may hold together) is marked (`keyedBy`), and a whole list from values
 * at such a field becomes a list of one splice, so that its template refuses a repeated key at
 * render.
 */
export function checkListKeys(root: MapNode, cursor: SchemaCursor, fail: (path: Path, message: string) => never): void {
  visit(root, cursor, [], fail);
}

/** Visits a node at a path; `path` is a stack that `visit` restores before it returns (callees read it, never keep it). */
function visit(node: TemplateNode, cursor: SchemaCursor, path: FieldPathSegment[], fail: (path: Path, message: string) => never): void {
  if (!cursor.reachesListMap) return;
  if (node.kind === 'choice') {
    const { branches, otherwise } = flatChoice(node);
    for (const branch of branches) visit(branch.value, cursor, path, fail);
    if (otherwise !== undefined) visit(otherwise, cursor, path, fail);
    return;
  }
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      if (entry.kind !== 'field') continue;
      const next = cursor.step(entry.key);
      if (typeof next === 'string') continue;
      const keys = next.listMapKeys;
      if (keys && entry.value.kind === 'block' && entry.value.token.use === TokenUse.LIST) {
        entry.value = { kind: 'list', items: [{ kind: 'splice', token: entry.value.token }] };
      }
      path.push(entry.key);
      visit(entry.value, next, path, fail);
      path.pop();
    }
    return;
  }
  if (node.kind !== 'list') return;
  const itemCursor = cursor.step(0);
  const keys = cursor.listMapKeys;
  if (keys) {
    checkEntries(node, keys, path, fail);
    if (keysAtRender(node, keys)) node.keyedBy = { keys, path: fieldPathText(path) };
  }
  if (typeof itemCursor === 'string') return;
  let index = 0;
  for (const item of node.items) {
    if (item.kind !== 'item') continue;
    path.push(index++);
    visit(item.value, itemCursor, path, fail);
    path.pop();
  }
}

/**
 * Two entries with one key in a list-map list of the object as the chart's default values render it
 * (`preview`, computed only when the object has such a list): values spliced in with their defaults. The chart's own defaults would fail its render
 * (the check `keyCheckLines` writes), so synthesis refuses them, naming the values spliced there.
 */
export function defaultRenderKeyProblems(root: MapNode, cursor: SchemaCursor, preview: () => unknown): string[] {
  const sources = new Map<string, string[]>();
  collectKeyedLists(root, sources);
  if (!sources.size) return [];
  const problems: string[] = [];
  const walk = (value: unknown, at: SchemaCursor, path: Path): void => {
    if (at.isFree || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      const keys = at.listMapKeys;
      const where = fieldPathText(path);
      if (keys && sources.has(where)) {
        const seen = new Map<string, number>();
        value.forEach((entry, index) => {
          const key = keys.map((k) => (entry as Record<string, unknown> | null)?.[k.field] ?? k.default);
          if (key.some((k) => k === undefined)) return;
          const id = JSON.stringify(key);
          const earlier = seen.get(id);
          if (earlier === undefined) seen.set(id, index);
          else
            problems.push(
              `${where}: with the chart's default values, entries [${earlier}] and [${index}] both have ${describeKey(keys, key.map(String))} (${sources.get(where)!.length ? `spliced in from ${sources.get(where)!.join(', ')}` : 'keys from values'}), so the chart's own defaults fail its render; change the default`,
            );
        });
      }
      const item = at.step(0);
      if (typeof item !== 'string') value.forEach((entry, index) => walk(entry, item, [...path, index]));
      return;
    }
    for (const [key, entry] of Object.entries(value)) {
      const next = at.step(key);
      if (typeof next !== 'string') walk(entry, next, [...path, key]);
    }
  };
  walk(preview(), cursor, []);
  return problems;
}

/** Every list whose keys are known only at render, by path, with the values that bring entries into it. */
function collectKeyedLists(node: TemplateNode, sources: Map<string, string[]>): void {
  if (node.kind === 'choice') {
    const { branches, otherwise } = flatChoice(node);
    for (const branch of branches) collectKeyedLists(branch.value, sources);
    if (otherwise !== undefined) collectKeyedLists(otherwise, sources);
  } else if (node.kind === 'map') {
    for (const entry of node.entries) if (entry.kind === 'field') collectKeyedLists(entry.value, sources);
  } else if (node.kind === 'list') {
    if (node.keyedBy) {
      const names = node.items.flatMap((item) => (item.kind === 'splice' ? [item.token.description] : []));
      sources.set(node.keyedBy.path, [...new Set([...(sources.get(node.keyedBy.path) ?? []), ...names])]);
    }
    for (const item of node.items) if (item.kind === 'item') collectKeyedLists(item.value, sources);
  }
}

type Item = Extract<ListItem, { kind: 'item' }>;

/** How an item is written: one value, under a condition when it is a one-branch `setIf` item; undefined for a choice of several values (its key is known only at render). */
function written(item: Item): { readonly condition?: Condition; readonly value: TemplateNode } | undefined {
  if (item.value.kind !== 'choice') return { value: item.value };
  const { branches, otherwise } = flatChoice(item.value);
  return branches.length === 1 && otherwise === undefined ? { condition: branches[0].condition, value: branches[0].value } : undefined;
}

function checkEntries(list: ListNode, keys: readonly ListMapKey[], path: Path, fail: (path: Path, message: string) => never): void {
  const seen = new Map<string, { index: number; item: { readonly condition?: Condition } }>();
  let index = 0;
  for (const entry of list.items) {
    if (entry.kind !== 'item') continue;
    const item = written(entry);
    const key = item && literalKey(item.value, keys);
    if (item && key !== undefined) {
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
  return map.entries.find((e): e is FieldEntry => e.kind === 'field' && e.key === name && e.value.kind !== 'choice');
}

function describeKey(keys: readonly ListMapKey[], values: readonly string[]): string {
  return keys.map((k, i) => `${k.field} ${describeValue(values[i])}`).join(' and ');
}

/**
 * The template lines at the start of a list-map list whose keys are known only at render (a values
 * list spliced in, an entry from a values map, a key from a value, entries under conditions that
 * may hold together): every entry's key in list order, conditional entries when their condition
 * holds, each refused by `fail` when an earlier entry has it. `variable` names the keys seen.
 */
export function keyCheckLines(list: ListNode, keyed: ListKeys, context: ResolveContext, pad: string, variable: string): string[] {
  const fixed: string[] = [];
  for (const item of list.items) {
    const shape = item.kind === 'item' ? written(item) : undefined;
    const literal = shape && !shape.condition ? literalKey(shape.value, keyed.keys) : undefined;
    if (literal) fixed.push(goString(literal.join('/')));
  }
  const lines = [`${pad}{{- ${variable} := list${fixed.map((key) => ` ${key}`).join('')} }}`];
  const fields = keyed.keys.map((k) => k.field).join('/');
  const format = goString(keyed.keys.map(() => '%v').join('/'));
  const printable = (text: string): string => text.replace(/%/g, '%%');
  const check = (key: string, source: string): string[] => [
    `${pad}{{- $key := ${key} }}`,
    `${pad}{{- if has $key ${variable} }}`,
    `${pad}{{- fail (printf ${goString(`${printable(`${source}: an entry with ${fields} `)}%s${printable(` is already in ${keyed.path} (Kubernetes identifies its entries by ${fields}, and server-side apply refuses two entries with one key): give it another ${fields} or leave it out`)}`)} $key) }}`,
    `${pad}{{- end }}`,
    `${pad}{{- ${variable} = append ${variable} $key }}`,
  ];
  const fieldOf = (operand: string) =>
    keyed.keys.map((k) => (k.default === undefined ? `${operand}.${k.field}` : `(${operand}.${k.field} | default ${goString(k.default)})`));
  let index = 0;
  for (const item of list.items) {
    if (item.kind === 'splice') {
      lines.push(
        `${pad}{{- range ${unwrapParentheses(item.token.operand(context))} }}`,
        ...check(`printf ${format} ${fieldOf('').join(' ')}`, item.token.description),
        `${pad}{{- end }}`,
      );
      continue;
    }
    const at = index++;
    const keyOf = (value: TemplateNode): { key?: string; source: string } => {
      if (value.kind === 'block' && value.token.use === TokenUse.MAP) {
        return {
          key: `printf ${format} ${fieldOf(`(${unwrapParentheses(value.token.operand(context))})`).join(' ')}`,
          source: `${value.token.description} (${keyed.path}[${at}])`,
        };
      }
      return { key: keyExpression(value, keyed.keys, context), source: `${keyed.path}[${at}]` };
    };
    const shape = written(item);
    if (!shape) {
      const { branches, otherwise } = flatChoice(item.value as Extract<TemplateNode, { kind: 'choice' }>);
      branches.forEach((branch, i) => {
        lines.push(`${pad}{{- ${i === 0 ? 'if' : 'else if'} ${unwrapParentheses(branch.condition.expression)} }}`);
        const { key, source } = keyOf(branch.value);
        if (key !== undefined) lines.push(...check(key, source));
      });
      if (otherwise !== undefined) {
        const { key, source } = keyOf(otherwise);
        if (key !== undefined) lines.push(`${pad}{{- else }}`, ...check(key, source));
      }
      lines.push(`${pad}{{- end }}`);
      continue;
    }
    if (!shape.condition && literalKey(shape.value, keyed.keys)) continue;
    const { key, source } = keyOf(shape.value);
    if (key === undefined) continue;
    if (shape.condition) lines.push(`${pad}{{- if ${unwrapParentheses(shape.condition.expression)} }}`);
    lines.push(...check(key, source));
    if (shape.condition) lines.push(`${pad}{{- end }}`);
  }
  return lines;
}

/** Whether some keys of a list-map list are known only at render, so its template checks them. */
function keysAtRender(list: ListNode, keys: readonly ListMapKey[]): boolean {
  if (list.items.some((item) => item.kind === 'splice')) return true;
  if (list.items.length < 2) return false;
  const conditional = new Map<string, number>();
  for (const entry of list.items) {
    if (entry.kind === 'splice') return true;
    const item = written(entry);
    if (!item || item.value.kind === 'block') return true;
    const literal = literalKey(item.value, keys);
    if (literal === undefined) {
      if (hasKeyFields(item.value, keys)) return true;
      continue;
    }
    const id = JSON.stringify(literal);
    if (conditional.has(id) && (item.condition || conditional.get(id)! > 0)) return true;
    conditional.set(id, (conditional.get(id) ?? 0) + (item.condition ? 1 : 0));
  }
  return false;
}

function hasKeyFields(node: TemplateNode, keys: readonly ListMapKey[]): boolean {
  if (node.kind !== 'map') return false;
  return keys.every((key) => {
    const value = keyField(node, key.field)?.value;
    return value ? value.kind === 'literal' || value.kind === 'scalar' : key.default !== undefined;
  });
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
