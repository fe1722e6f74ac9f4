import { describeValue, HelmSynthError } from '../errors';
import { SchemaCursor } from './kubernetes-schema';

/** One segment of a field path: a map key, or a list index. */
export type FieldPathSegment = string | number;

const SYNTAX = 'write a.b[0].c, with ["key"] for a key that holds dots or brackets (\\" and \\\\ inside quotes)';

/**
 * Reads a field path: a list of segments as given, or the text form `a.b[0].c` where a key in
 * brackets is quoted (`metadata.annotations["example.com/owner"]`, `'...'` too; inside quotes a
 * backslash escapes the quote and itself, and nothing else). When the schema says a key leads into a
 * map of strings (annotations, labels, ConfigMap data, nodeSelector, resource limits), the rest of a
 * dotted path after it is one key, as written: `metadata.annotations.example.com/owner`.
 */
export function parseFieldPath(path: string | readonly FieldPathSegment[], where: string, cursor?: SchemaCursor): FieldPathSegment[] {
  if (Array.isArray(path)) {
    if (
      path.length === 0 ||
      path.some((s) => (typeof s !== 'string' || s === '') && (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0))
    ) {
      throw new HelmSynthError(where, `field path ${describeValue(path)} must be a non-empty list of keys and list indexes`);
    }
    return [...path];
  }
  if (typeof path !== 'string')
    throw new HelmSynthError(where, `field path ${describeValue(path)} must be a string such as a.b[0].c or a list of segments`);
  return new PathReader(path, where).read(cursor);
}

class PathReader {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly where: string,
  ) {}

  public read(start: SchemaCursor | undefined): FieldPathSegment[] {
    const segments: FieldPathSegment[] = [];
    const text = this.text;
    let cursor = start;
    if (text === '') this.fail('it is empty');
    let afterDot = false;
    for (;;) {
      const segment = text[this.pos] === '[' && !afterDot ? this.bracket() : this.name();
      segments.push(segment);
      const next = cursor?.step(segment);
      cursor = typeof next === 'string' ? undefined : next;
      if (this.pos === text.length) return segments;
      afterDot = text[this.pos] === '.';
      if (!afterDot && text[this.pos] !== '[') this.fail(`${describeValue(text[this.pos])} cannot follow a bracket`);
      if (!afterDot) continue;
      this.pos++;
      if (cursor?.isScalarMap) {
        const key = text.slice(this.pos);
        if (key === '') this.fail('it ends in "." (a key is missing)');
        if (key.startsWith('[')) this.fail('a bracket follows "." (write the quoted key right after the map: annotations["key"])');
        segments.push(key);
        return segments;
      }
    }
  }

  private name(): string {
    const text = this.text;
    const start = this.pos;
    while (this.pos < text.length && !'.[]'.includes(text[this.pos])) this.pos++;
    if (text[this.pos] === ']') this.fail('"]" without "["');
    if (this.pos === start) this.fail(start === text.length ? 'it ends in "." (a key is missing)' : 'a key is empty');
    return text.slice(start, this.pos);
  }

  private bracket(): FieldPathSegment {
    const text = this.text;
    this.pos++;
    const quote = text[this.pos];
    if (quote === '"' || quote === "'") {
      this.pos++;
      let key = '';
      for (;;) {
        if (this.pos >= text.length) this.fail(`the quoted key is not closed by ${quote}]`);
        const c = text[this.pos++];
        if (c === quote) break;
        if (c === '\\') {
          const escaped = text[this.pos++];
          if (escaped !== '"' && escaped !== "'" && escaped !== '\\')
            this.fail(`${describeValue(`\\${escaped ?? ''}`)} is no escape: inside quotes only \\", \\' and \\\\ are`);
          key += escaped;
        } else key += c;
      }
      if (text[this.pos] !== ']') this.fail(`the bracket of the quoted key ${describeValue(key)} is not closed`);
      this.pos++;
      if (key === '') this.fail('a quoted key is empty');
      return key;
    }
    const digits = /^\d+/.exec(text.slice(this.pos))?.[0];
    if (digits === undefined) this.fail('a bracket holds a list index such as [0] or a quoted key such as ["example.com/owner"]');
    this.pos += digits.length;
    if (text[this.pos] !== ']') this.fail(`the bracket of [${digits} is not closed`);
    this.pos++;
    const index = Number(digits);
    if (!Number.isSafeInteger(index)) this.fail(`list index ${digits} is too large`);
    return index;
  }

  private fail(why: string): never {
    throw new HelmSynthError(
      this.where,
      `field path ${describeValue(this.text)} is invalid: ${why} (at character ${Math.min(this.pos, this.text.length) + 1}); ${SYNTAX}`,
    );
  }
}

/** What an override does to the field at its path, as far as the schema cares. */
export type PathUse = 'set' | 'remove' | 'merge' | 'append';

/**
 * Checks a path against the object's schema: every key a field of its object (else the closest
 * fields are named), indexes only on lists, nothing after a scalar, a map at a `merge` and a list at
 * an `append`. Returns the problem (path first), or undefined. Free-form fields and kinds without a
 * schema are not checked below `metadata`.
 */
export function checkFieldPath(cursor: SchemaCursor, path: readonly FieldPathSegment[], use: PathUse): string | undefined {
  let here = cursor;
  let inScalarMap = false;
  for (let i = 0; i < path.length; i++) {
    const next = here.step(path[i]);
    if (typeof next === 'string') {
      const rest = path.slice(i - 1);
      if (inScalarMap && rest.every((s) => typeof s === 'string')) {
        const map = path.slice(0, i - 1);
        return `${fieldPathText(map)} is a map of strings: its key ${JSON.stringify(path[i - 1])} holds a string and nothing can follow it; for the key ${JSON.stringify(rest.join('.'))} write ${fieldPathText([...map, rest.join('.')])} (or the path as text, where the rest after ${fieldPathText(map)}. is one key)`;
      }
      return `${fieldPathText(path.slice(0, i + 1))}: ${next}`;
    }
    inScalarMap = here.isScalarMap;
    here = next;
  }
  if (here.isFree) return undefined;
  if (use === 'merge' && !here.isObject && !here.isScalarMap)
    return `${fieldPathText(path)}: merge takes a map field, and this is a ${here.description}`;
  if (use === 'append' && !here.isList) return `${fieldPathText(path)}: append takes a list field, and this is a ${here.description}`;
  return undefined;
}

const PLAIN_KEY = /^[^.[\]]+$/;

/** A path as text that reads back as the same segments: `spec.containers[0].env`, `metadata.annotations["example.com/owner"]`. */
export function fieldPathText(path: readonly FieldPathSegment[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    if (PLAIN_KEY.test(segment)) return text ? `${text}.${segment}` : segment;
    return `${text}["${segment.replace(/["\\]/g, (c) => `\\${c}`)}"]`;
  }, '');
}
