/** The one-line bodies of the named helpers a chart's `_helpers.tpl` defines, by helper name. */
function helperBodies(files: ReadonlyMap<string, string>): Map<string, string> {
  const helpers = files.get('templates/_helpers.tpl') ?? '';
  return new Map([...helpers.matchAll(/^\{\{- define "([^"]+)" -\}\}\n(.*)\n\{\{- end \}\}$/gm)].map((m) => [m[1], m[2]]));
}

/**
 * A template's text with every `{{ include "<helper>" . }}` of a one-line named helper replaced by
 * the action the helper holds: what the template said before the action became a helper, for tests
 * that read expressions.
 */
export function templateWithHelpersInline(files: ReadonlyMap<string, string>, path: string): string {
  const bodies = helperBodies(files);
  const text = files.get(path);
  if (text === undefined) throw new Error(`no file ${path}`);
  return text.replace(/\{\{ include "([^"]+)" \. \}\}/g, (include, name: string) => bodies.get(name) ?? include);
}
