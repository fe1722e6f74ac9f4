import { goString, parenthesize, unwrapParentheses } from '../tokens/go-template';
import { ResolveContext, TextPart, Token, TokenUse } from '../tokens/token';
import { HELM_NO_VALUE } from './yaml-text';

/**
 * The template text of a scalar: one token rendered by its use (`| quote`, `| int64`, `| toJson`,
 * bare), or literal text and tokens as one `printf ... | quote` for the whole scalar. In a string
 * field a number or boolean is printed and quoted, so Kubernetes gets a string. Literal text holding
 * Helm's `<no value>` (which Helm deletes from output) has `<` written as the YAML escape `\x3c`.
 */
export function scalarTemplate(parts: readonly TextPart[], context: ResolveContext, stringField: boolean): string {
  if (parts.length === 1 && typeof parts[0] !== 'string') return wholeToken(parts[0], context, stringField);
  let format = '';
  const args: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      format += part.replace(/%/g, '%%');
    } else {
      format += '%v';
      args.push(printfArgument(part, context));
    }
  }
  const hideNoValue = parts.some((part) => typeof part === 'string' && part.includes(HELM_NO_VALUE));
  return `{{ printf ${goString(format)} ${args.join(' ')} | quote${hideNoValue ? ` | replace "<" ${goString('\\x3c')}` : ''} }}`;
}

/** A token as a `printf "%v"` argument: integers as int64 (no exponent), numbers as JSON prints them. */
export function printfArgument(token: Token, context: ResolveContext): string {
  const operand = parenthesize(token.operand(context));
  switch (token.use) {
    case TokenUse.INTEGER:
      return `(${operand} | int64)`;
    case TokenUse.NUMBER:
      return `(${operand} | toJson)`;
    default:
      return operand;
  }
}

function wholeToken(token: Token, context: ResolveContext, stringField: boolean): string {
  const operand = unwrapParentheses(token.operand(context));
  switch (token.use) {
    case TokenUse.INTEGER:
      return stringField ? `{{ ${operand} | int64 | toString | quote }}` : `{{ ${operand} | int64 }}`;
    case TokenUse.NUMBER:
      return stringField ? `{{ ${operand} | toJson | quote }}` : `{{ ${operand} | toJson }}`;
    case TokenUse.BOOLEAN:
      return stringField ? `{{ ${operand} | toJson | quote }}` : `{{ ${operand} }}`;
    default:
      return `{{ ${operand} | quote }}`;
  }
}
