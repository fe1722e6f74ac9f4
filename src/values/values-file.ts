import { stringifyYaml } from '../template/yaml';
import { JsonValue, ValueType } from './value';
import { Values } from './values';
import { valuesTree, ValuesNode } from './values-tree';

/**
 * values.yaml: every declared key in declaration order, each preceded by its description.
 * Values without a default are written as comments, so users see them but Helm does not read them.
 */
export function renderValuesFile(values: Values): string {
  const lines = ['# Default values of this chart. Override them with -f my-values.yaml or --set key=value.', ''];
  emitGroup(valuesTree(values), values, 0, lines);
  return `${lines.join('\n').trimEnd()}\n`;
}

function emitGroup(group: Extract<ValuesNode, { kind: 'group' }>, values: Values, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth);
  for (const [key, node] of group.children) {
    if (node.kind === 'group') {
      comment(out, indent, values.groups.get(node.path));
      const children: string[] = [];
      emitGroup(node, values, depth + 1, children);
      const hasKeys = children.some((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
      out.push(`${indent}${yamlKey(key)}:${hasKeys ? '' : ' {}'}`, ...children);
    } else if (node.kind === 'passthrough') {
      comment(out, indent, node.description);
      out.push(...keyValueLines(key, values.passthroughDefaults.get(node.path) ?? {}, indent));
    } else {
      const value = node.value;
      comment(out, indent, value.required ? `${value.description}\n(required)` : value.description);
      if (value.default === undefined) {
        const hint = value.type === ValueType.SECRET ? 'secret: pass it at install time, never commit it' : 'no default';
        out.push(`${indent}# ${yamlKey(key)}: ${placeholderFor(value.type)}  # ${hint}`);
      } else {
        out.push(...keyValueLines(key, value.default, indent));
      }
    }
    if (depth === 0) out.push('');
  }
}

function keyValueLines(key: string, value: JsonValue, indent: string): string[] {
  const text = stringifyYaml(value).trimEnd();
  const isCollection = typeof value === 'object' && value !== null;
  const empty = isCollection && Object.keys(value).length === 0;
  if (!isCollection || empty) {
    const [first, ...rest] = text.split('\n');
    return [`${indent}${yamlKey(key)}: ${first}`, ...rest.map((line) => `${indent}${line}`)];
  }
  return [`${indent}${yamlKey(key)}:`, ...text.split('\n').map((line) => `${indent}  ${line}`)];
}

function comment(out: string[], indent: string, text: string | undefined): void {
  if (text) out.push(...text.split('\n').map((line) => `${indent}# ${line}`.trimEnd()));
}

const YAML11_SPECIAL = /^(y|yes|n|no|true|false|on|off|null|~)$/i;

/** A map key as YAML 1.1 (Helm's parser) reads it back unchanged. */
export function yamlKey(key: string): string {
  return YAML11_SPECIAL.test(key) ? JSON.stringify(key) : key;
}

function placeholderFor(type: ValueType): string {
  switch (type) {
    case ValueType.INTEGER:
    case ValueType.NUMBER:
      return '0';
    case ValueType.BOOLEAN:
      return 'false';
    case ValueType.LIST:
      return '[]';
    case ValueType.OBJECT:
      return '{}';
    default:
      return '""';
  }
}
