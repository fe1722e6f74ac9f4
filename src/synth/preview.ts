import { ResolveContext } from '../tokens/token';
import { flatChoice, MapNode, TemplateNode } from './template-tree';

/**
 * The JSON a template tree renders with the chart's default values and `helm template`'s release
 * (`release-name` in `default`): every token by its preview, fields and items by their conditions,
 * spread maps and spliced lists by their defaults. For checks of the default render.
 */
export function previewTree(root: MapNode, context: ResolveContext): Record<string, unknown> {
  return previewNode(root, context) as Record<string, unknown>;
}

function previewNode(node: TemplateNode, context: ResolveContext): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'scalar':
      if (node.parts.length === 1 && typeof node.parts[0] !== 'string') {
        const value = node.parts[0].preview(context);
        return node.stringField && typeof value !== 'string' ? JSON.stringify(value) : value;
      }
      return node.parts.map((part) => (typeof part === 'string' ? part : String(part.preview(context)))).join('');
    case 'block': {
      const value = node.token.preview(context);
      return isEmpty(value) ? undefined : value;
    }
    case 'choice': {
      const flat = flatChoice(node);
      const chosen = flat.branches.find((b) => b.condition.preview())?.value ?? flat.otherwise;
      return chosen && previewNode(chosen, context);
    }
    case 'list': {
      const items: unknown[] = [];
      for (const item of node.items) {
        if (item.kind === 'splice') {
          const value = item.token.preview(context);
          if (Array.isArray(value)) items.push(...value);
        } else {
          const value = previewNode(item.value, context);
          if (value !== undefined || item.value.kind !== 'choice') items.push(value);
        }
      }
      return items;
    }
    case 'map': {
      const result: Record<string, unknown> = {};
      for (const entry of node.entries) {
        if (entry.kind === 'field') {
          const value = previewNode(entry.value, context);
          if (value !== undefined) result[entry.key] = value;
        }
      }
      for (const entry of node.entries) {
        if (entry.kind !== 'spread') continue;
        const value = entry.token.preview(context);
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          for (const [key, item] of Object.entries(value)) if (!(key in result) && !entry.removed?.includes(key)) result[key] = item;
        }
      }
      return result;
    }
  }
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    value === false ||
    value === 0 ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && Object.keys(value as object).length === 0)
  );
}
