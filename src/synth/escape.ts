/**
 * Makes literal text inert for Helm: every `{{` and `}}` becomes an action that prints it, so the
 * rendered text is byte-identical to the input.
 */
export function escapeTemplateText(text: string): string {
  return text.includes('{{') || text.includes('}}') ? text.replace(/\{\{|\}\}/g, (braces) => `{{ "${braces}" }}`) : text;
}
