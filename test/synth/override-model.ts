/**
 * The reference model of field overrides, written from the table in docs/ARCHITECTURE.md ("Field
 * overrides") and independent of the template tree: the overrides of one object applied in
 * recording order to plain JSON, for one assignment of the values. Used by the property test to
 * say what a rendered object must hold.
 */

/** A path below the object's root: map keys and list indexes. */
export type ModelPath = ReadonlyArray<string | number>;

/** A condition over the boolean values of a generated case. */
export type ModelCondition = { readonly value: number; readonly negated: boolean } | { readonly all: readonly ModelCondition[] };

/** A value an override writes: literal JSON, or the map value with this index. */
export type ModelValue = { readonly literal: unknown } | { readonly map: number };

/** One override of a generated case. */
export type ModelOp =
  | { readonly op: 'set'; readonly path: ModelPath; readonly value: ModelValue }
  | { readonly op: 'setIf'; readonly path: ModelPath; readonly condition: ModelCondition; readonly value: ModelValue }
  | { readonly op: 'remove'; readonly path: ModelPath }
  | { readonly op: 'merge'; readonly path: ModelPath; readonly map: number }
  | { readonly op: 'append'; readonly path: ModelPath; readonly list: number };

/** The values of one render: booleans, maps and lists by index. */
export interface ModelValues {
  readonly booleans: readonly boolean[];
  readonly maps: ReadonlyArray<Record<string, unknown>>;
  readonly lists: ReadonlyArray<readonly unknown[]>;
}

type Json = Record<string, unknown>;

/** An item position of a list: its own (the construct's, or set) or appended; a `setIf` item whose condition failed is `ABSENT` but still counts. */
interface Slot {
  value: unknown;
  readonly own: boolean;
  won: boolean;
}

const ABSENT = Symbol('absent');

interface KeyState {
  /** Keys whose value came from a merged (or whole) values map: a write below them starts a new map. */
  readonly merged: Set<string>;
  /** Keys decided by a `setIf` whose condition held: later `setIf`s of the chain do nothing. */
  readonly won: Set<string>;
}

/** Whether a condition holds for the values. */
export function holds(condition: ModelCondition, values: ModelValues): boolean {
  if ('all' in condition) return condition.all.every((c) => holds(c, values));
  return values.booleans[condition.value] !== condition.negated;
}

/** The object after its overrides, for the values: what the rendered object must hold (compare after `normalized`). */
export function applyModel(base: Json, ops: readonly ModelOp[], values: ModelValues): Json {
  const states = new WeakMap<object, KeyState>();
  const state = (map: object): KeyState => {
    let found = states.get(map);
    if (!found) states.set(map, (found = { merged: new Set(), won: new Set() }));
    return found;
  };
  const isMap = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
  const ownSlots = (list: Slot[]): Slot[] => list.filter((s) => s.own);
  const valueOf = (value: ModelValue): unknown => {
    if ('literal' in value) return toModel(value.literal);
    const copy = toModel(values.maps[value.map]) as Json;
    for (const key of Object.keys(copy)) state(copy).merged.add(key);
    return copy;
  };
  /** The value at one segment of a container (undefined: absent, or a merged key, which writes below replace). */
  const get = (container: Json | Slot[], segment: string | number): unknown => {
    if (Array.isArray(container)) {
      const slot = ownSlots(container)[segment as number];
      return slot && slot.value !== ABSENT ? slot.value : undefined;
    }
    return state(container).merged.has(segment as string) ? undefined : container[segment as string];
  };
  const put = (container: Json | Slot[], segment: string | number, value: unknown, won = false): void => {
    if (Array.isArray(container)) {
      const slots = ownSlots(container);
      const index = segment as number;
      if (index === slots.length) container.push({ value, own: true, won });
      else if (index < slots.length) Object.assign(slots[index], { value, won });
      else throw new Error(`model: no item [${index}]`);
      return;
    }
    container[segment as string] = value;
    state(container).merged.delete(segment as string);
    if (won) state(container).won.add(segment as string);
    else state(container).won.delete(segment as string);
  };
  const won = (container: Json | Slot[], segment: string | number): boolean =>
    Array.isArray(container) ? Boolean(ownSlots(container)[segment as number]?.won) : state(container).won.has(segment as string);
  /** The container of the path's last segment, made on the way when `create`. */
  const parent = (root: Json, path: ModelPath, create: boolean): Json | Slot[] | undefined => {
    let node: Json | Slot[] = root;
    for (let i = 0; i < path.length - 1; i++) {
      const wantList = typeof path[i + 1] === 'number';
      const child = get(node, path[i]);
      if (child !== undefined && child !== null) {
        if (wantList ? !Array.isArray(child) : !isMap(child))
          throw new Error(`model: ${String(path[i])} is not a ${wantList ? 'list' : 'map'}`);
        node = child as Json | Slot[];
        continue;
      }
      if (!create) return undefined;
      const made: Json | Slot[] = wantList ? [] : {};
      put(node, path[i], made);
      node = made;
    }
    return node;
  };
  const root = toModel(base) as Json;
  for (const op of ops) {
    const last = op.path[op.path.length - 1];
    switch (op.op) {
      case 'set':
        put(parent(root, op.path, true)!, last, valueOf(op.value));
        break;
      case 'setIf': {
        if (!holds(op.condition, values)) {
          const list = parent(root, op.path, false);
          if (Array.isArray(list) && last === ownSlots(list).length) list.push({ value: ABSENT, own: true, won: false });
          break;
        }
        const container = parent(root, op.path, true)!;
        if (!won(container, last)) put(container, last, valueOf(op.value), true);
        break;
      }
      case 'remove': {
        const container = parent(root, op.path, false);
        if (Array.isArray(container)) {
          const slot = ownSlots(container)[last as number];
          if (slot) container.splice(container.indexOf(slot), 1);
        } else if (container) {
          delete container[last as string];
          state(container).merged.delete(last as string);
          state(container).won.delete(last as string);
        }
        break;
      }
      case 'merge':
      case 'append': {
        const container = parent(root, op.path, true)!;
        let target = get(container, last);
        if (target === undefined || target === null) put(container, last, (target = op.op === 'merge' ? {} : []));
        if (op.op === 'append') {
          if (!Array.isArray(target)) throw new Error(`model: ${String(last)} is not a list`);
          for (const item of values.lists[op.list]) target.push({ value: toModel(item), own: false, won: false });
          break;
        }
        if (!isMap(target)) throw new Error(`model: ${String(last)} is not a map`);
        for (const [key, item] of Object.entries(values.maps[op.map])) {
          if (key in target) continue;
          target[key] = toModel(item);
          state(target).merged.add(key);
        }
      }
    }
  }
  return fromModel(root) as Json;
}

function toModel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item): Slot => ({ value: toModel(item), own: true, won: false }));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toModel(v)]));
  return value;
}

function fromModel(value: unknown): unknown {
  if (Array.isArray(value)) return (value as Slot[]).filter((slot) => slot.value !== ABSENT).map((slot) => fromModel(slot.value));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromModel(v)]));
  return value;
}

/**
 * JSON without nulls, empty maps and empty lists in maps (bottom-up), and null list items as `{}`:
 * a map or list made of merged or appended values may render as null or be left out when empty.
 */
export function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => normalized(item) ?? {});
  if (value === null || typeof value !== 'object') return value;
  const result: Json = {};
  for (const [key, item] of Object.entries(value)) {
    const clean = normalized(item);
    if (clean === null || clean === undefined) continue;
    if (typeof clean === 'object' && Object.keys(clean as object).length === 0) continue;
    result[key] = clean;
  }
  return result;
}
