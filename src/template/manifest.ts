import { describeValue, HelmSynthError } from '../errors';
import { References } from '../values/reference';
import { escapeTemplateText } from './escape';
import { compileString } from './expression';
import { stringifyYaml } from './yaml';

/** A map key that renders as `{{- include "<template>" . | nindent N }}` in place of a key. */
export function includeKey(template: string): string {
  return `${INCLUDE_PREFIX}${template}`;
}

/** A field kept only when a condition holds: `{{- if <condition> }}` around it. */
export class ConditionalField {
  constructor(public readonly condition: string, public readonly value: unknown) {}
}

const INCLUDE_PREFIX = '\u0000include:';
const PLACEHOLDER = /zzhsp(\d+)zz/g;

type Placeholder =
  | { kind: 'scalar'; template: string }
  | { kind: 'block'; expression: string }
  | { kind: 'include'; template: string }
  | { kind: 'condition'; condition: string; key: string };

/**
 * Renders one Kubernetes object (JSON, already carrying markers) as template text: serialized
 * once with `yaml`, literal braces escaped, then every placeholder swapped for its template text.
 *
 * @param where construct path of the object, for errors
 */
export function renderManifest(json: unknown, where: string): string {
  const placeholders: Placeholder[] = [];
  const add = (placeholder: Placeholder): string => {
    placeholders.push(placeholder);
    return `zzhsp${placeholders.length - 1}zz`;
  };
  const isSecret = (json as { kind?: unknown })?.kind === 'Secret';
  const prepared = prepare(json, where, '', add, isSecret);
  const text = escapeTemplateText(stringifyYaml(prepared));
  return expandPlaceholders(text, placeholders, where);
}

function prepare(node: unknown, where: string, path: string, add: (p: Placeholder) => string, isSecret: boolean): unknown {
  if (typeof node === 'string') {
    if (PLACEHOLDER.test(node)) {
      PLACEHOLDER.lastIndex = 0;
      throw new HelmSynthError(where, `${path}: the string ${describeValue(node)} collides with helm-synth's internal placeholders`);
    }
    const compiled = compileString(node, where, path, isSecret && path.startsWith('stringData.'));
    if (compiled.kind === 'literal') return node;
    return add(compiled.kind === 'scalar' ? { kind: 'scalar', template: compiled.template } : { kind: 'block', expression: compiled.expression });
  }
  if (Array.isArray(node)) return node.map((item, i) => prepare(item, where, `${path}[${i}]`, add, isSecret));
  if (node instanceof ConditionalField) {
    throw new HelmSynthError(where, `${path}: a conditional field must be a map entry`);
  }
  if (node === null || typeof node !== 'object') return node;

  const plain: Array<[string, unknown]> = [];
  const deferred: Array<[string, unknown]> = [];
  let conditional = 0;
  for (const [key, value] of Object.entries(node)) {
    const childPath = path ? `${path}.${key}` : key;
    if (key.startsWith(INCLUDE_PREFIX)) {
      deferred.push([add({ kind: 'include', template: key.slice(INCLUDE_PREFIX.length) }), null]);
      continue;
    }
    if (References.containsMarker(key)) {
      throw new HelmSynthError(where, `${childPath}: a value token cannot be used as a map key`);
    }
    if (value instanceof ConditionalField) {
      conditional++;
      deferred.push([add({ kind: 'condition', condition: value.condition, key }), prepare(value.value, where, childPath, add, isSecret)]);
      continue;
    }
    plain.push([key, prepare(value, where, childPath, add, isSecret)]);
  }
  if (plain.length === 0 && conditional > 0) {
    throw new HelmSynthError(where, `${path}: a map whose fields are all conditional would render as null; keep one field unconditional`);
  }
  return Object.fromEntries([...plain, ...deferred]);
}

function expandPlaceholders(text: string, placeholders: Placeholder[], where: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  const pendingEnds: Array<{ column: number; text: string }> = [];

  for (const line of lines) {
    const column = line.length - line.trimStart().length;
    while (pendingEnds.length && line.trim() !== '' && column <= pendingEnds[pendingEnds.length - 1].column) {
      out.push(pendingEnds.pop()!.text);
    }
    const keyMatch = /^(\s*)(- )?zzhsp(\d+)zz:(.*)$/.exec(line);
    if (keyMatch) {
      const [, indent, dash, id, rest] = keyMatch;
      const placeholder = placeholders[Number(id)];
      if (dash) throw new HelmSynthError(where, 'a conditional or included field cannot be the only field of a list item');
      if (placeholder.kind === 'include') {
        out.push(`${indent}{{- include ${JSON.stringify(placeholder.template)} . | nindent ${indent.length} }}`);
        continue;
      }
      if (placeholder.kind === 'condition') {
        out.push(`${indent}{{- if ${placeholder.condition} }}`);
        pendingEnds.push({ column: indent.length, text: `${indent}{{- end }}` });
        out.push(expandInline(`${indent}${escapeTemplateText(stringifyYaml({ [placeholder.key]: null }).split(':')[0])}:${rest}`, placeholders));
        continue;
      }
    }
    const blockMatch = /^(\s*)(- )?(?:(.+?): )?zzhsp(\d+)zz$/.exec(line);
    if (blockMatch && placeholders[Number(blockMatch[4])].kind === 'block') {
      const [, indent, dash, key, id] = blockMatch;
      const { expression } = placeholders[Number(id)] as { expression: string };
      if (key === undefined) {
        out.push(`${indent}{{- with ${expression} }}`, `${indent}{{- toYaml . | nindent ${indent.length} }}`, `${indent}{{- end }}`);
      } else if (dash) {
        out.push(`${indent}- ${key}:`, `${indent}    {{- toYaml ${expression} | nindent ${indent.length + 4} }}`);
      } else {
        out.push(`${indent}{{- with ${expression} }}`, `${indent}${key}:`, `${indent}  {{- toYaml . | nindent ${indent.length + 2} }}`, `${indent}{{- end }}`);
      }
      continue;
    }
    out.push(expandInline(line, placeholders));
  }
  while (pendingEnds.length) out.splice(out.length - (out[out.length - 1] === '' ? 1 : 0), 0, pendingEnds.pop()!.text);
  return out.join('\n');
}

function expandInline(line: string, placeholders: Placeholder[]): string {
  return line.replace(PLACEHOLDER, (whole, id: string) => {
    const placeholder = placeholders[Number(id)];
    if (placeholder.kind !== 'scalar') return whole;
    return placeholder.template;
  });
}
