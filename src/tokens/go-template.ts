/**
 * Text Helm deletes from every rendered template (it stands in for missing values), so literal text
 * holding it is written where an escape can hide it: in a double-quoted scalar, as `\x3c`.
 */
export const HELM_NO_VALUE = '<no value>';

/** A Go string literal for template text (JSON's escapes are a subset Go accepts). */
export function goString(text: string): string {
  return JSON.stringify(text);
}

/** `(a | b)` → `a | b` when the parentheses wrap the whole operand: a pipeline's first command needs none. */
export function unwrapParentheses(operand: string): string {
  if (!operand.startsWith('(') || !operand.endsWith(')')) return operand;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < operand.length; i++) {
    const c = operand[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && i < operand.length - 1) return operand;
  }
  return operand.slice(1, -1);
}

/** Wraps an operand in parentheses unless it is a single field or variable chain (`.Values.a`, `$x.y`). */
export function parenthesize(operand: string): string {
  return /^[.$][\w.$]*$/.test(operand) || (/^\(.*\)$/.test(operand) && unwrapParentheses(operand) !== operand) ? operand : `(${operand})`;
}
