import { JsonValue, ValueType } from '../values/value';
import { Values } from '../values/values';
import { emitTree } from './emit-template';
import { jsonNode, mapOf } from './template-tree';
import { ValuesGroup, valuesTree } from './values-tree';
import { commentLines, quoteString } from './yaml-text';

/**
 * values.yaml: every declared key in declaration order, each preceded by its description.
 * Values without a default are written as comments, so users see them but Helm does not read them.
 */
export function renderValuesFile(values: Values, chartName: string): string {
  const lines = ['# Default values of this chart. Override them with -f my-values.yaml or --set key=value.', ''];
  emitGroup(valuesTree(values), values, 0, lines, chartName);
  return `${lines.join('\n').trimEnd()}\n`;
}

function emitGroup(group: ValuesGroup, values: Values, depth: number, out: string[], chartName: string): void {
  const indent = '  '.repeat(depth);
  for (const [key, node] of group.children) {
    if (node.kind === 'group') {
      const description = values.groups.get(node.path);
      if (description) out.push(...commentLines(description, indent));
      const children: string[] = [];
      emitGroup(node, values, depth + 1, children, chartName);
      const hasKeys = children.some((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
      out.push(`${indent}${quoteString(key)}:${hasKeys ? '' : ' {}'}`, ...children);
    } else if (node.kind === 'passthrough') {
      const passthrough = values.passthrough.get(node.path)!;
      out.push(
        ...commentLines(passthrough.description, indent),
        ...keyValueLines(key, passthrough.defaults as JsonValue, indent, chartName),
      );
    } else {
      const value = node.value;
      const requirement = value.required
        ? '\n(required)'
        : value.requiredUnless
          ? `\n(required unless ${value.requiredUnless.path} is set)`
          : '';
      out.push(...commentLines(`${value.description}${requirement}`, indent));
      if (value.default === undefined) {
        const hint = value.type === ValueType.SECRET ? 'secret: pass it at install time, never commit it' : 'no default';
        out.push(`${indent}# ${quoteString(key)}: ${placeholderFor(value.type)}  # ${hint}`);
      } else {
        out.push(...keyValueLines(key, value.default, indent, chartName));
      }
    }
    if (depth === 0) out.push('');
  }
}

function keyValueLines(key: string, value: JsonValue, indent: string, chartName: string): string[] {
  return emitTree(mapOf([[key, jsonNode(value)]]), { chartName, template: false })
    .trimEnd()
    .split('\n')
    .map((line) => (line ? `${indent}${line}` : line));
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
