import { Values } from './values';
import { valuesTree, ValuesNode } from './values-tree';

/**
 * values.schema.json (JSON Schema draft-07): types, enums, bounds, patterns, defaults and
 * required keys. Every declared group rejects unknown keys, so a typo in a user's values file
 * fails the install instead of being ignored. `global` and dependency keys accept any map.
 */
export function renderValuesSchema(values: Values): string {
  const root = groupSchema(valuesTree(values), values);
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...root,
    properties: { ...(root.properties as object), global: { type: 'object', description: 'Values shared with every subchart.' } },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function nodeSchema(node: ValuesNode, values: Values): Record<string, unknown> {
  switch (node.kind) {
    case 'group':
      return groupSchema(node, values);
    case 'passthrough':
      return { type: 'object', description: node.description };
    case 'value': {
      const value = node.value;
      return {
        ...value.schema,
        description: value.description,
        ...(value.type === 'secret' && { writeOnly: true }),
        ...(value.default !== undefined && { default: value.default }),
      };
    }
  }
}

function groupSchema(group: Extract<ValuesNode, { kind: 'group' }>, values: Values): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [key, child] of group.children) {
    properties[key] = nodeSchema(child, values);
    if (isRequired(child)) required.push(key);
  }
  const description = values.groups.get(group.path);
  return {
    type: 'object',
    ...(description && { description }),
    properties,
    ...(required.length && { required }),
    additionalProperties: false,
  };
}

/**
 * A key is listed as required when it holds a required value that has a default (so
 * `--set key=null` cannot remove it) or contains one. Required values without a default are
 * checked by the templates' `required` instead, so that `helm lint` with the defaults passes.
 */
function isRequired(node: ValuesNode): boolean {
  if (node.kind === 'value') return node.value.required && node.value.default !== undefined;
  if (node.kind === 'group') return [...node.children.values()].some(isRequired);
  return false;
}
