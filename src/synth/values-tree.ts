import { Value } from '../values/value';
import { Values } from '../values/values';

/** A node of the values tree: a group of keys, a declared value at a leaf, or a key passed to a dependency. */
export type ValuesNode =
  | ValuesGroup
  | { readonly kind: 'value'; readonly path: string; readonly value: Value }
  | { readonly kind: 'passthrough'; readonly path: string };

/** A group of keys. */
export interface ValuesGroup {
  readonly kind: 'group';
  readonly path: string;
  readonly children: Map<string, ValuesNode>;
}

/** Arranges declarations into a tree, keys in declaration order; passthrough keys come last. */
export function valuesTree(values: Values): ValuesGroup {
  const root: ValuesGroup = { kind: 'group', path: '', children: new Map() };
  for (const value of values.all) {
    const segments = value.path.split('.');
    let group = root;
    segments.slice(0, -1).forEach((segment, i) => {
      let child = group.children.get(segment);
      if (!child) {
        child = { kind: 'group', path: segments.slice(0, i + 1).join('.'), children: new Map() };
        group.children.set(segment, child);
      }
      group = child as ValuesGroup;
    });
    group.children.set(segments[segments.length - 1], { kind: 'value', path: value.path, value });
  }
  for (const key of values.passthrough.keys()) root.children.set(key, { kind: 'passthrough', path: key });
  return root;
}

/** True when values.yaml holds the key: a value with a default, a group, or a passthrough key. */
export function isInValuesFile(node: ValuesNode): boolean {
  return node.kind !== 'value' || node.value.default !== undefined;
}
