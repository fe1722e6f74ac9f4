import { parseAllDocuments } from 'yaml';
import { HelmSynthError } from '../errors';

/** One document of `helm template` output. */
export interface RenderedDocument {
  /** The template it came from, from Helm's `# Source: <chart>/templates/<file>` line; undefined when absent. */
  readonly source?: string;
  /** The document as plain data. */
  readonly object: Record<string, any>;
}

/**
 * Parses multi-document `helm template` output into its non-empty documents, as YAML 1.1 (what
 * Helm's Go YAML reads: `yes`/`on` are booleans, `0755` is octal). Throws on any YAML error.
 *
 * @param context named in the error (the chart directory)
 */
export function parseRenderedDocuments(rendered: string, context = 'helm template'): RenderedDocument[] {
  const result: RenderedDocument[] = [];
  for (const doc of parseAllDocuments(rendered, { version: '1.1' })) {
    if (doc.errors.length) throw new HelmSynthError(context, `rendered YAML does not parse: ${doc.errors[0].message}`);
    const object = doc.toJS({ maxAliasCount: -1 }) as unknown;
    if (object === null || object === undefined) continue;
    if (typeof object !== 'object' || Array.isArray(object)) {
      throw new HelmSynthError(context, `a rendered document is not a YAML map: ${JSON.stringify(object).slice(0, 80)}`);
    }
    const comment = doc.commentBefore ?? (doc.contents as { commentBefore?: string } | null)?.commentBefore ?? '';
    const source = /^\s*Source:\s*(\S+)/m.exec(comment)?.[1];
    result.push({ source, object: object as Record<string, any> });
  }
  return result;
}

/** Parses rendered output into its non-empty documents as plain objects (throws on any YAML error). */
export function parseManifests(rendered: string): Array<Record<string, any>> {
  return parseRenderedDocuments(rendered).map((doc) => doc.object);
}
