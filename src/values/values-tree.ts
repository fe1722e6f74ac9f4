import { Value } from './value';
import { Values } from './values';

/** A node of the values tree: a group of keys, or a declared value at a leaf. */
export type ValuesNode =
  | { readonly kind: 'group'; readonly path: string; readonly children: Map<string, ValuesNode> }
  | { readonly kind: 'value'; readonly path: string; readonly value: Value }
  | { readonly kind: 'passthrough'; readonly path: string; readonly description: string };

/** Arranges declarations into a tree, keys in declaration order; passthrough keys come last. */
export function valuesTree(values: Values): Extract<ValuesNode, { kind: 'group' }> {
  const root = { kind: 'group' as const, path: '', children: new Map<string, ValuesNode>() };
  for (const value of values.all) {
    const segments = value.path.split('.');
    let group = root;
    segments.slice(0, -1).forEach((segment, i) => {
      let child = group.children.get(segment);
      if (!child) {
        child = { kind: 'group', path: segments.slice(0, i + 1).join('.'), children: new Map() };
        group.children.set(segment, child);
      }
      group = child as typeof root;
    });
    group.children.set(segments[segments.length - 1], { kind: 'value', path: value.path, value });
  }
  for (const [key, description] of values.passthrough) {
    root.children.set(key, { kind: 'passthrough', path: key, description });
  }
  return root;
}
