import { Document, Pair, parse, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { describeValue, HelmSynthError } from '../errors';
import { byteOrder, CHART_FILE, ChartContent } from './chart-content';

/**
 * A value as Go's `encoding/json` sees it: a Go struct (fields in declaration order, empty ones
 * already left out) or a Go map (keys sorted by bytes, as Go writes them), a list, or a scalar.
 */
export type GoValue = string | number | boolean | readonly GoValue[] | GoObject;

/** A Go struct or map: its entries in the order Go writes them. */
export interface GoObject {
  /** Name and value of each entry. */
  readonly entries: ReadonlyArray<readonly [string, GoValue]>;
}

type FieldKind = 'string' | 'strings' | 'bool' | 'stringMap' | 'maintainers' | 'dependencies' | 'any';

/** Helm's `chart.Metadata` fields by JSON name, in struct order; all `omitempty`. */
const METADATA_FIELDS: ReadonlyArray<readonly [string, FieldKind]> = [
  ['name', 'string'],
  ['home', 'string'],
  ['sources', 'strings'],
  ['version', 'string'],
  ['description', 'string'],
  ['keywords', 'strings'],
  ['maintainers', 'maintainers'],
  ['icon', 'string'],
  ['apiVersion', 'string'],
  ['condition', 'string'],
  ['tags', 'string'],
  ['appVersion', 'string'],
  ['deprecated', 'bool'],
  ['annotations', 'stringMap'],
  ['kubeVersion', 'string'],
  ['dependencies', 'dependencies'],
  ['type', 'string'],
];

/** Fields Helm's `Metadata.Validate` passes through `sanitizeString`. */
const SANITIZED_METADATA = new Set([
  'name',
  'description',
  'home',
  'icon',
  'condition',
  'tags',
  'appVersion',
  'kubeVersion',
  'sources',
  'keywords',
]);

const MAINTAINER_FIELDS: ReadonlyArray<readonly [string, FieldKind]> = [
  ['name', 'string'],
  ['email', 'string'],
  ['url', 'string'],
];

/** Helm's `chart.Dependency`: `name` and `repository` are written even when empty. */
const DEPENDENCY_FIELDS: ReadonlyArray<readonly [string, FieldKind]> = [
  ['name', 'string'],
  ['version', 'string'],
  ['repository', 'string'],
  ['condition', 'string'],
  ['tags', 'strings'],
  ['enabled', 'bool'],
  ['import-values', 'any'],
  ['alias', 'string'],
];
const DEPENDENCY_ALWAYS = new Set(['name', 'repository']);
const SANITIZED_DEPENDENCY = new Set(['name', 'version', 'repository', 'condition', 'tags']);

/**
 * A chart's metadata as Helm's loader holds it (`chart.Metadata` after `Validate`): Chart.yaml read
 * into Go's struct (unknown keys dropped, keys matched case-insensitively as `encoding/json` does,
 * numbers and booleans in string fields turned into text as `sigs.k8s.io/yaml` does), `apiVersion`
 * defaulting to v1, an apiVersion v1 chart's requirements.yaml dependencies, and the text fields
 * passed through Helm's `sanitizeString` (white space to a space, unprintable characters dropped).
 * Helm marshals this value into the OCI config blob and into the `.prov` message.
 */
export function helmMetadata(chart: ChartContent): GoObject {
  const source = { ...chart.metadata } as Record<string, unknown>;
  if (lookup(source, 'apiVersion') === undefined || lookup(source, 'apiVersion') === '') source.apiVersion = 'v1';
  const requirements = chart.files.get('requirements.yaml');
  if (lookup(source, 'apiVersion') === 'v1' && requirements) {
    const parsed = parse(requirements.toString('utf8'), { version: '1.1' }) as Record<string, unknown> | null;
    const dependencies = parsed && typeof parsed === 'object' ? lookup(parsed, 'dependencies') : undefined;
    if (dependencies !== undefined) {
      for (const key of Object.keys(source)) if (key.toLowerCase() === 'dependencies') delete source[key];
      source.dependencies = dependencies;
    }
  }
  return goStruct(source, METADATA_FIELDS, SANITIZED_METADATA, new Set(), `${chart.origin}/${CHART_FILE}`);
}

/**
 * Encodes a value as Go's `json.Marshal` does: no spaces, `<`, `>` and `&` as `\u003c`, `\u003e`,
 * `\u0026`, U+2028 and U+2029 escaped, control characters as `\b`, `\f`, `\n`, `\r`, `\t` or `\u00XX`.
 */
export function goJson(value: GoValue): string {
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (isGoObject(value)) return `{${value.entries.map(([key, item]) => `${goJsonString(key)}:${goJson(item)}`).join(',')}}`;
  return `[${value.map(goJson).join(',')}]`;
}

/** Whether a Go value is a struct or map (not a list or scalar). */
export function isGoObject(value: GoValue): value is GoObject {
  return typeof value === 'object' && !Array.isArray(value);
}

/** A Go map: entries sorted by key bytes, as Go writes maps. */
export function goMap(entries: Iterable<readonly [string, GoValue]>): GoObject {
  return { entries: [...entries].sort(([a], [b]) => byteOrder(Buffer.from(a).toString('latin1'), Buffer.from(b).toString('latin1'))) };
}

/** Reads a field of a Go struct from a parsed map: the exact key, else one equal ignoring case. */
function lookup(source: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(source, name)) return source[name];
  const key = Object.keys(source).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : source[key];
}

function goStruct(
  source: Record<string, unknown>,
  fields: ReadonlyArray<readonly [string, FieldKind]>,
  sanitized: ReadonlySet<string>,
  always: ReadonlySet<string>,
  where: string,
): GoObject {
  const entries: Array<readonly [string, GoValue]> = [];
  for (const [name, kind] of fields) {
    const value = convert(lookup(source, name), kind, `${where}: ${name}`);
    const clean = sanitized.has(name) ? sanitize(value) : value;
    if (clean !== undefined && (always.has(name) || !isEmpty(clean))) entries.push([name, clean]);
    else if (always.has(name)) entries.push([name, '']);
  }
  return { entries };
}

function convert(value: unknown, kind: FieldKind, where: string): GoValue | undefined {
  if (value === undefined || value === null) return undefined;
  switch (kind) {
    case 'string':
      return scalarText(value, where);
    case 'bool':
      if (typeof value !== 'boolean') throw new HelmSynthError(where, `must be true or false; got ${describeValue(value)}`);
      return value;
    case 'strings':
      return list(value, where).map((item, i) => scalarText(item, `${where}[${i}]`) ?? '');
    case 'stringMap':
      if (typeof value !== 'object' || Array.isArray(value))
        throw new HelmSynthError(where, `must be a map of strings; got ${describeValue(value)}`);
      return goMap(
        Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, scalarText(item, `${where}.${key}`) ?? ''] as const),
      );
    case 'maintainers':
      return list(value, where).map((item, i) =>
        goStruct(record(item, `${where}[${i}]`), MAINTAINER_FIELDS, new Set(['name', 'email', 'url']), new Set(), `${where}[${i}]`),
      );
    case 'dependencies':
      return list(value, where).map((item, i) =>
        goStruct(record(item, `${where}[${i}]`), DEPENDENCY_FIELDS, SANITIZED_DEPENDENCY, DEPENDENCY_ALWAYS, `${where}[${i}]`),
      );
    case 'any':
      return anyValue(value, where);
  }
}

function anyValue(value: unknown, where: string): GoValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item, i) => anyValue(item, `${where}[${i}]`) ?? '');
  if (typeof value === 'object') {
    return goMap(
      Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => {
        const converted = anyValue(item, `${where}.${key}`);
        return converted === undefined ? [] : [[key, converted] as const];
      }),
    );
  }
  throw new HelmSynthError(where, `cannot be read as JSON; got ${describeValue(value)}`);
}

function scalarText(value: unknown, where: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new HelmSynthError(where, `must be a string; got ${describeValue(value)}`);
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new HelmSynthError(where, `must be a list; got ${describeValue(value)}`);
  return value;
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new HelmSynthError(where, `must be a map; got ${describeValue(value)}`);
  return value as Record<string, unknown>;
}

function isEmpty(value: GoValue): boolean {
  if (value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isGoObject(value as GoValue) && (value as GoObject).entries.length === 0;
}

/** Helm's `sanitizeString`: Unicode white space becomes a space, characters Go's `unicode.IsPrint` refuses are dropped. */
function sanitize(value: GoValue | undefined): GoValue | undefined {
  if (typeof value === 'string') return value.replace(/\p{White_Space}/gu, ' ').replace(/[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/gu, '');
  if (Array.isArray(value)) return value.map((item) => sanitize(item as GoValue) as GoValue);
  return value;
}

const GO_SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function goJsonString(text: string): string {
  const wellFormed = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  let escaped = '';
  for (const char of wellFormed) {
    const code = char.charCodeAt(0);
    const needsEscape = code < 0x20 || char === '<' || char === '>' || char === '&' || char === '\u2028' || char === '\u2029';
    escaped += GO_SHORT_ESCAPES[char] ?? (needsEscape ? `\\u${code.toString(16).padStart(4, '0')}` : char);
  }
  return `"${escaped}"`;
}

/**
 * Writes a Go value as `sigs.k8s.io/yaml.Marshal` does (Go JSON, read back into maps and written
 * by go-yaml v2): every map's keys in go-yaml's order (runs of digits compared as numbers, other
 * characters before letters), lists not indented under their key, strings that YAML 1.1 reads as
 * other types double-quoted, other strings that cannot be plain single-quoted, long plain values
 * broken as go-yaml breaks them.
 */
export function goYaml(value: GoValue): string {
  const document = new Document(null, { version: '1.1' });
  document.contents = yamlNode(document, value) as typeof document.contents;
  const text = document.toString({ indentSeq: false, lineWidth: 0, blockQuote: 'literal', singleQuote: true });
  return text.split('\n').map(foldPlainValue).join('\n');
}

/**
 * Whether a string written plain would be read as another type under YAML 1.1 (null, a boolean,
 * a number, a timestamp, `<<`): go-yaml v2 writes those double-quoted, other strings that cannot be
 * plain single-quoted.
 */
function readsAsOtherType(document: Document, text: string): boolean {
  return document.schema.tags.some((tag) => tag.default && tag.test?.test(text));
}

/** go-yaml v2's preferred line width: a plain value is broken at the first single space past it. */
const GO_YAML_WIDTH = 80;

/**
 * Breaks a line's plain scalar value as go-yaml v2 (libyaml's emitter) does: at a single space
 * (not before another space) once more than 80 characters are on the line, continuing two columns
 * deeper than the collection that holds the value. Keys, quoted and block scalars are left as they are.
 */
function foldPlainValue(line: string): string {
  const match = /^( *)((?:- )*)(.*)$/.exec(line)!;
  const [, spaces, dashes, rest] = match;
  let valueStart: number;
  let continuation: number;
  const entry = /^([^'"\s][^:]*?|"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'): (.*)$/.exec(rest);
  if (entry && !/^[|>]/.test(entry[2])) {
    valueStart = spaces.length + dashes.length + entry[1].length + 2;
    continuation = spaces.length + dashes.length + 2;
  } else if (dashes.length > 0 && !rest.endsWith(':')) {
    valueStart = spaces.length + dashes.length;
    continuation = spaces.length + dashes.length;
  } else {
    return line;
  }
  const value = line.slice(valueStart);
  if (value === '' || /^['"|>&*![{]/.test(value)) return line;
  const chars = [...value];
  let out = line.slice(0, valueStart);
  let column = [...out].length;
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === ' ' && chars[i - 1] !== ' ' && column > GO_YAML_WIDTH && chars[i + 1] !== ' ' && chars[i + 1] !== undefined) {
      out += `\n${' '.repeat(continuation)}`;
      column = continuation;
      continue;
    }
    out += chars[i];
    column++;
  }
  return out;
}

function yamlNode(document: Document, value: GoValue): unknown {
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    seq.items = value.map((item) => yamlNode(document, item));
    return seq;
  }
  if (!isGoObject(value as GoValue)) {
    const scalar = document.createNode(value) as Scalar;
    if (typeof value === 'string' && readsAsOtherType(document, value)) scalar.type = Scalar.QUOTE_DOUBLE;
    return scalar;
  }
  const map = new YAMLMap();
  const entries = [...(value as GoObject).entries].sort(([a], [b]) => goYamlKeyOrder(a, b));
  map.items = entries.map(([key, item]) => new Pair(document.createNode(key), yamlNode(document, item)));
  return map;
}

/** go-yaml v2's `keyList.Less` for string keys. */
export function goYamlKeyOrder(left: string, right: string): number {
  const a = [...left];
  const b = [...right];
  const isLetter = (char: string): boolean => /\p{L}/u.test(char);
  const isDigit = (char: string | undefined): boolean => char !== undefined && /\p{Nd}/u.test(char);
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a[i] === b[i]) continue;
    const aLetter = isLetter(a[i]);
    const bLetter = isLetter(b[i]);
    if (aLetter && bLetter) return a[i].codePointAt(0)! - b[i].codePointAt(0)!;
    if (aLetter || bLetter) return aLetter ? 1 : -1;
    let aNumber = 0n;
    let bNumber = 0n;
    if (a[i] === '0' || b[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(a[j]); j--) {
        if (a[j] !== '0') {
          aNumber = 1n;
          bNumber = 1n;
          break;
        }
      }
    }
    let aEnd = i;
    let bEnd = i;
    for (; aEnd < a.length && isDigit(a[aEnd]); aEnd++) aNumber = aNumber * 10n + BigInt(a[aEnd].charCodeAt(0) - 48);
    for (; bEnd < b.length && isDigit(b[bEnd]); bEnd++) bNumber = bNumber * 10n + BigInt(b[bEnd].charCodeAt(0) - 48);
    if (aNumber !== bNumber) return aNumber < bNumber ? -1 : 1;
    if (aEnd !== bEnd) return aEnd - bEnd;
    return a[i].codePointAt(0)! - b[i].codePointAt(0)!;
  }
  return a.length - b.length;
}
