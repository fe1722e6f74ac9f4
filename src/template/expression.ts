import { describeValue, HelmSynthError } from '../errors';
import { MARKER_PATTERN, Reference, ReferenceUse, References } from '../values/reference';
import { goString } from './escape';

/** What a string from a manifest compiles to. */
export type CompiledString =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'scalar'; readonly template: string }
  | { readonly kind: 'block'; readonly expression: string };

/**
 * Compiles a string that may hold markers: a single reference renders by its use, a mix of
 * literals and references renders as one `printf ... | quote` for the whole scalar.
 */
export function compileString(text: string, where: string, field = '', allowSecrets = false): CompiledString {
  const at = field ? `${field}: ` : '';
  const parts: Array<string | Reference> = [];
  let last = 0;
  for (const match of text.matchAll(MARKER_PATTERN)) {
    const reference = References.lookup(Number(match[1]));
    if (!reference) throw new HelmSynthError(where, `${at}unknown token ${describeValue(match[0])} (a token from another process or a typo)`);
    if (reference.secret && !allowSecrets) {
      throw new HelmSynthError(where, `${at}${reference.description} is a secret: use it only in a Secret's stringData, and read it from pods through secretKeyRef`);
    }
    if (match.index! > last) parts.push(text.slice(last, match.index));
    parts.push(reference);
    last = match.index! + match[0].length;
  }
  if (parts.length === 0) return { kind: 'literal', text };
  if (last < text.length) parts.push(text.slice(last));

  if (parts.length === 1 && typeof parts[0] !== 'string') return compileWhole(parts[0]);

  let format = '';
  const args: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      format += part.replace(/%/g, '%%');
      continue;
    }
    if (part.use === ReferenceUse.OBJECT) {
      throw new HelmSynthError(where, `${at}${part.description} is an object or list and cannot be part of the string ${describeValue(text)}`);
    }
    format += '%v';
    args.push(part.use === ReferenceUse.INTEGER ? `(${part.expression} | int64)` : part.expression);
  }
  return { kind: 'scalar', template: `{{ printf ${goString(format)} ${args.join(' ')} | quote }}` };
}

function compileWhole(reference: Reference): CompiledString {
  const operand = unwrapParentheses(reference.expression);
  switch (reference.use) {
    case ReferenceUse.OBJECT:
      return { kind: 'block', expression: reference.expression };
    case ReferenceUse.STRING:
      return { kind: 'scalar', template: `{{ ${operand} | quote }}` };
    case ReferenceUse.INTEGER:
      return { kind: 'scalar', template: `{{ ${operand} | int64 }}` };
    case ReferenceUse.NUMBER:
    case ReferenceUse.BOOLEAN:
      return { kind: 'scalar', template: `{{ ${operand} }}` };
  }
}

/** `(a b)` → `a b` when the parentheses wrap the whole expression; the first-level pipeline needs none. */
function unwrapParentheses(expression: string): string {
  if (!expression.startsWith('(') || !expression.endsWith(')')) return expression;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && i < expression.length - 1) return expression;
  }
  return expression.slice(1, -1);
}
