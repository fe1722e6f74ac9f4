import { HELM_NO_VALUE } from './yaml-text';

/**
 * Literal text as template text that prints it exactly. Go's template lexer starts an action at
 * every `{{` and nowhere else (`}}` outside an action is plain text), so each `{{`, taken left to
 * right, becomes an action printing it. A literal ending in `{` directly before template text that
 * starts with `{` (an action, or more text) would form a new `{{` across the boundary, so that last
 * `{` is printed by an action too. `following` is the template text written right after this text.
 */
export function escapeTemplateText(text: string, following = ''): string {
  if (!text.includes('{')) return text;
  const escaped = text.replace(/\{\{/g, '{{ "{{" }}');
  return following.startsWith('{') && escaped.endsWith('{') ? `${escaped.slice(0, -1)}{{ "{" }}` : escaped;
}

/**
 * Template text of literal text and actions written one after the other: each literal escaped with
 * what follows it in mind, actions kept as they are.
 */
export function joinTemplateText(parts: ReadonlyArray<{ readonly literal: string } | { readonly action: string }>): string {
  const out: string[] = new Array<string>(parts.length);
  let following = '';
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i];
    out[i] = 'literal' in part ? escapeTemplateText(part.literal, following) : part.action;
    if (out[i] !== '') following = out[i];
  }
  return out.join('');
}

/**
 * A comment line as template text: escaped like any literal, and Helm's `<no value>` (which Helm
 * deletes from output) written `\u003cno value>`, the notation comment lines use for what they cannot hold.
 */
export function escapeTemplateComment(line: string): string {
  return escapeTemplateText(line.replaceAll(HELM_NO_VALUE, '\\u003cno value>'));
}
