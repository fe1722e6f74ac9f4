import { ValueType } from '../values/value';
import { Values } from '../values/values';
import { isInValuesFile, ValuesGroup, valuesTree, ValuesNode } from './values-tree';

/**
 * values.schema.json (JSON Schema draft-07): types, enums, bounds, patterns, defaults. Every group
 * rejects unknown keys, so a typo in a user's values file fails the install instead of being
 * ignored. Every key values.yaml holds is required, so `--set key=null` (which deletes a default)
 * fails with the key named instead of rendering `<nil>` or 0. `global` and dependency keys accept
 * any map, with the dependency's known keys typed.
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
    case 'passthrough': {
      const passthrough = values.passthrough.get(node.path)!;
      const properties = passthrough.properties;
      return { type: 'object', description: passthrough.description, ...(Object.keys(properties).length && { properties }) };
    }
    case 'value': {
      const value = node.value;
      return {
        ...value.schema,
        description: value.description,
        ...(value.type === ValueType.SECRET && { writeOnly: true }),
        ...(value.default !== undefined && { default: value.default }),
      };
    }
  }
}

function groupSchema(group: ValuesGroup, values: Values): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [key, child] of group.children) {
    properties[key] = nodeSchema(child, values);
    if (isInValuesFile(child)) required.push(key);
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
