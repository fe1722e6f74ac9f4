import { randomBytes } from 'node:crypto';
import { ValueType } from '../values/value';
import { INT64_MAX, INT64_MIN, Values } from '../values/values';
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
  const placeholder = `int64-bound-${randomBytes(8).toString('hex')}:`;
  const text = JSON.stringify(schema, int64Placeholders(placeholder), 2);
  return `${text.replace(new RegExp(`"${placeholder}(-?\\d+)"`, 'g'), '$1')}\n`;
}

/**
 * Marks the int64 bounds of integer schemas (which JSON.stringify would print rounded, as
 * 9223372036854776000), to be written with their exact digits: Helm's validators read schema
 * numbers exactly, so 9223372036854775807 admits every int64 and refuses 2^63, which `int64` would
 * turn into -9223372036854775808. The placeholder holds a random part, so no text of a user matches it.
 */
function int64Placeholders(placeholder: string) {
  return function (this: unknown, key: string, value: unknown): unknown {
    const holder = this as Record<string, unknown>;
    if ((key === 'minimum' || key === 'maximum') && holder.type === 'integer') {
      if (value === INT64_MIN) return `${placeholder}-9223372036854775808`;
      if (value === INT64_MAX) return `${placeholder}9223372036854775807`;
    }
    return value;
  };
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
        ...narrowedSchema(value.schema, values.narrowingsOf(value.path)),
        description: value.description,
        ...(value.type === ValueType.SECRET && { writeOnly: true }),
        ...(value.default !== undefined && { default: value.default }),
      };
    }
  }
}

/**
 * A value's schema with what its uses need: tighter bounds of its own type and entry schemas it
 * lacks are written in place (readable), anything else joins through `allOf`.
 */
function narrowedSchema(
  schema: Readonly<Record<string, unknown>>,
  narrowings: ReadonlyArray<Readonly<Record<string, unknown>>>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...schema };
  const allOf: Array<Readonly<Record<string, unknown>>> = [];
  for (const narrowing of narrowings) {
    const keys = Object.keys(narrowing).filter((key) => key !== 'type');
    if (narrowing.type !== result.type) allOf.push(narrowing);
    else if (keys.every((key) => key === 'minimum' || key === 'maximum')) {
      const { minimum, maximum } = narrowing as { minimum?: number; maximum?: number };
      if (minimum !== undefined) result.minimum = Math.max(minimum, (result.minimum as number | undefined) ?? -Infinity);
      if (maximum !== undefined) result.maximum = Math.min(maximum, (result.maximum as number | undefined) ?? Infinity);
    } else if (keys.length === 1 && keys[0] === 'additionalProperties' && result.additionalProperties === undefined)
      result.additionalProperties = narrowing.additionalProperties;
    else allOf.push(narrowing);
  }
  return { ...result, ...(allOf.length && { allOf }) };
}

function groupSchema(group: ValuesGroup, values: Values): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [key, child] of group.children) {
    properties[key] = nodeSchema(child, values);
    if (isInValuesFile(child)) required.push(key);
  }
  const description = values.groups.get(group.path);
  const conditions = requiredUnlessConditions(values, group.path);
  return {
    type: 'object',
    ...(description && { description }),
    properties,
    ...(required.length && { required }),
    additionalProperties: false,
    ...(conditions.length === 1 ? conditions[0] : conditions.length > 1 && { allOf: conditions }),
  };
}

/**
 * The `requiredUnless` rules whose two values meet in this group (their deepest common group), as
 * draft-07 `if`/`else`: if the other value is set (a non-empty string, or true), nothing more;
 * else the value must be a non-empty string. One is written on the group itself, several under
 * `allOf`.
 */
function requiredUnlessConditions(values: Values, groupPath: string): Array<Record<string, unknown>> {
  const conditions: Array<Record<string, unknown>> = [];
  for (const value of values.all) {
    const unless = value.requiredUnless;
    if (!unless) continue;
    const [own, other] = [value.path.split('.'), unless.path.split('.')];
    let shared = 0;
    while (shared < own.length - 1 && shared < other.length - 1 && own[shared] === other[shared]) shared++;
    if (own.slice(0, shared).join('.') !== groupPath) continue;
    const set = unless.type === ValueType.BOOLEAN ? { const: true } : { type: 'string', minLength: 1 };
    conditions.push({ if: presentAt(other.slice(shared), set), else: presentAt(own.slice(shared), { type: 'string', minLength: 1 }) });
  }
  return conditions;
}

/** A schema requiring the key path `segments` and `leaf` at its end. */
function presentAt(segments: readonly string[], leaf: Record<string, unknown>): Record<string, unknown> {
  const [key, ...rest] = segments;
  return { type: 'object', required: [key], properties: { [key]: rest.length ? presentAt(rest, leaf) : leaf } };
}
