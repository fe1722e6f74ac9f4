import { parseAllDocuments, ScalarTag, Tags } from 'yaml';
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
 * Helm's Go YAML reads: `yes`/`on` are booleans, `0755` is octal) with plain numbers read the way
 * Go's yaml.v2 reads them (`goPlainNumber`). Throws on any YAML error.
 *
 * @param context named in the error (the chart directory)
 */
export function parseRenderedDocuments(rendered: string, context = 'helm template'): RenderedDocument[] {
  const result: RenderedDocument[] = [];
  for (const doc of parseAllDocuments(rendered, { version: '1.1', customTags: goNumberTags })) {
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

/** yaml.v2's `yamlStyleFloat`: the float forms it reads, checked after underscores are removed. */
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Integers Go's `strconv.ParseInt(s, 0, 64)` (and `ParseUint`) read: decimal, `0x`, `0o`, `0b`, and leading-zero octal. */
const GO_INTEGER = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/;

/**
 * A plain scalar as Go's yaml.v2 reads a number (resolve.go): one starting with a digit or sign has its
 * underscores removed and is an integer (`strconv.ParseInt`, base prefixes `0x`, `0o`, `0b`, `0`) or a
 * float of yaml.v2's float form; one starting with `.` is a float when `strconv.ParseFloat` reads it
 * whole (`.5`, not `.` or `._5`); anything else (`1:20`, `-.`) is a string. Undefined: not a number.
 */
function goPlainNumber(text: string): number | undefined {
  if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (!/^[-+0-9]/.test(text)) return undefined;
  const plain = text.replaceAll('_', '');
  if (GO_INTEGER.test(plain)) {
    const sign = plain.startsWith('-') ? -1 : 1;
    const digits = plain.replace(/^[-+]/, '');
    const octal = /^0[oO]?([0-7]+)$/.exec(digits);
    const magnitude = octal ? parseInt(octal[1], 8) : Number(digits);
    return sign * magnitude;
  }
  if (!GO_FLOAT.test(plain)) return undefined;
  const float = Number(plain);
  return Number.isFinite(float) ? float : undefined;
}

const GO_NUMBER_TEST = { test: (text: string) => goPlainNumber(text) !== undefined } as unknown as RegExp;

/** The YAML 1.1 tags with its int and float forms (and sexagesimal, timestamp) replaced by Go's reading of plain numbers. */
function goNumberTags(tags: Tags): Tags {
  const replaced = new Set(['tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:timestamp']);
  const kept = tags.filter((tag) => {
    const scalar = tag as ScalarTag;
    // keep the .inf/.nan forms, which yaml.v2 reads alike
    return !replaced.has(scalar.tag) || String(scalar.test ?? '').includes('inf');
  });
  const number: ScalarTag = {
    identify: (value) => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: GO_NUMBER_TEST,
    resolve: (text) => goPlainNumber(text)!,
  };
  return [...kept, number];
}
