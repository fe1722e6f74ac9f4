/**
 * The reference model of field overrides, written from the table in docs/ARCHITECTURE.md ("Field
 * overrides") and independent of the template tree: the overrides of one object applied in
 * recording order to plain JSON, for one assignment of the values. Used by the property test to
 * say what a rendered object must hold.
 */

/** A condition over the boolean values of a generated case. */
export type ModelCondition = { readonly value: number; readonly negated: boolean } | { readonly all: readonly ModelCondition[] };

/** A value an override writes: literal JSON, or the map value with this index. */
export type ModelValue = { readonly literal: unknown } | { readonly map: number };

/** One override of a generated case, on a path below the object's root. */
export type ModelOp =
  | { readonly op: 'set'; readonly path: readonly string[]; readonly value: ModelValue }
  | { readonly op: 'setIf'; readonly path: readonly string[]; readonly condition: ModelCondition; readonly value: ModelValue }
  | { readonly op: 'remove'; readonly path: readonly string[] }
  | { readonly op: 'merge'; readonly path: readonly string[]; readonly map: number };

/** The values of one render: booleans by index, maps by index. */
export interface ModelValues {
  readonly booleans: readonly boolean[];
  readonly maps: ReadonlyArray<Record<string, unknown>>;
}

type Json = Record<string, unknown>;

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

/** The object after its overrides, for the values: what the rendered object must hold (after `normalized`). */
export function applyModel(base: Json, ops: readonly ModelOp[], values: ModelValues): Json {
  const states = new WeakMap<object, KeyState>();
  const state = (map: object): KeyState => {
    let found = states.get(map);
    if (!found) states.set(map, (found = { merged: new Set(), won: new Set() }));
    return found;
  };
  const valueOf = (value: ModelValue): unknown => {
    if ('literal' in value) return structuredClone(value.literal);
    const copy = structuredClone(values.maps[value.map]);
    for (const key of Object.keys(copy)) state(copy).merged.add(key);
    return copy;
  };
  /** The map at the path's parent, made on the way when `create`; a key that came from a merge is not walked into. */
  const parent = (root: Json, path: readonly string[], create: boolean): Json | undefined => {
    let node = root;
    for (const key of path.slice(0, -1)) {
      const child = node[key];
      const fromMerge = state(node).merged.has(key);
      if (child !== undefined && child !== null && !fromMerge) {
        if (typeof child !== 'object' || Array.isArray(child)) throw new Error(`model: ${key} is not a map`);
        node = child as Json;
        continue;
      }
      if (!create) return undefined;
      const made: Json = {};
      node[key] = made;
      state(node).merged.delete(key);
      state(node).won.delete(key);
      node = made;
    }
    return node;
  };
  const root = structuredClone(base);
  for (const op of ops) {
    const last = op.path[op.path.length - 1];
    switch (op.op) {
      case 'set': {
        const map = parent(root, op.path, true)!;
        map[last] = valueOf(op.value);
        state(map).merged.delete(last);
        state(map).won.delete(last);
        break;
      }
      case 'setIf': {
        if (!holds(op.condition, values)) break;
        const map = parent(root, op.path, true)!;
        if (state(map).won.has(last)) break;
        map[last] = valueOf(op.value);
        state(map).merged.delete(last);
        state(map).won.add(last);
        break;
      }
      case 'remove': {
        const map = parent(root, op.path, false);
        if (!map) break;
        delete map[last];
        state(map).merged.delete(last);
        state(map).won.delete(last);
        break;
      }
      case 'merge': {
        const map = parent(root, op.path, true)!;
        let target = map[last];
        if (target === undefined || target === null || state(map).merged.has(last)) {
          target = map[last] = {};
          state(map).merged.delete(last);
        }
        if (typeof target !== 'object' || Array.isArray(target)) throw new Error(`model: ${last} is not a map`);
        for (const [key, item] of Object.entries(values.maps[op.map])) {
          if (key in (target as Json)) continue;
          (target as Json)[key] = structuredClone(item);
          state(target as Json).merged.add(key);
        }
      }
    }
  }
  return root;
}

/**
 * JSON without nulls, empty maps and empty lists (bottom-up): a map whose entries are all merged
 * may render as null or be left out when empty, which Kubernetes reads alike.
 */
export function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalized);
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
