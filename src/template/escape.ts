/**
 * Makes literal text inert for Helm: every `{{` and `}}` becomes an action that prints it, so the
 * rendered text is byte-identical to the input.
 */
export function escapeTemplateText(text: string): string {
  return text.replace(/\{\{|\}\}/g, (braces) => `{{ "${braces}" }}`);
}

/** A Go string literal (JSON's string escapes are a subset Go accepts). */
export function goString(text: string): string {
  return JSON.stringify(text);
}
