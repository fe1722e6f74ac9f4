import { Token } from '../tokens/token';

const EXPRESSION_NAME = Symbol.for('helm-synth.expressionName');

/**
 * Names the helper a token's expression becomes in `_helpers.tpl` when it is long or shared
 * (`databaseHost` gives `{{ include "<chart>.databaseHost" . }}`). Kept on the token under a
 * `Symbol.for` key, so every copy of the library reads it; the first name given stays.
 */
export function nameExpression(token: Token, name: string): void {
  if (!(EXPRESSION_NAME in token)) Object.defineProperty(token, EXPRESSION_NAME, { value: name });
}

/** The name given by `nameExpression`, if any. */
export function expressionName(token: Token): string | undefined {
  const name = (token as unknown as { [EXPRESSION_NAME]?: unknown })[EXPRESSION_NAME];
  return typeof name === 'string' ? name : undefined;
}
