/**
 * YAML text as Helm reads it. Helm parses values files and rendered manifests with Go's YAML 1.1
 * reader (sigs.k8s.io/yaml over go-yaml v2), so a string is written plain only when that reader,
 * and YAML 1.1/1.2 readers in general, read it back as the same string; otherwise it is
 * double-quoted, or written as a literal block when it spans lines.
 */

import { HELM_NO_VALUE } from '../tokens/go-template';

export { HELM_NO_VALUE };

/** Characters that start a new line for Go's YAML reader (and YAML 1.1): never left raw in a scalar or comment. */
export const LINE_BREAKS = /\r\n|[\r\n\u0085\u2028\u2029]/;

const SPECIAL_WORDS = new Set([
  '',
  '~',
  'null',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  '<<',
  '=',
  '.inf',
  '-.inf',
  '+.inf',
  '.nan',
]);
const FIRST_UNSAFE = /^[\s?:,[\]{}#&*!|>'"%@`]|^-(\s|$)/;
// eslint-disable-next-line no-control-regex -- control characters are what these find
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
const NEEDS_CHECK_START = /^[0-9+\-.eE]/;
const UNSAFE_INSIDE = /: |:$| #|[\t]|^-(?:\s|$)/;
const ESCAPES: Record<string, string> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P', '\ufeff': '\\uFEFF' };
// eslint-disable-next-line no-control-regex -- control characters are what these find
const BLOCK_UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

/** The YAML text of a string on one line: plain when safe, else double-quoted. */
export function quoteString(text: string): string {
  if (isPlainSafe(text)) return text;
  return doubleQuoted(text);
}

/** True when a string can be written as a plain scalar and every reader Helm uses reads it back as that string. */
export function isPlainSafe(text: string): boolean {
  if (text.length > PLAIN_SAFE_LONGEST) return readsBackPlain(text);
  let safe = PLAIN_SAFE.get(text);
  if (safe === undefined) {
    if (PLAIN_SAFE.size >= PLAIN_SAFE_LIMIT) PLAIN_SAFE.clear();
    safe = readsBackPlain(text);
    PLAIN_SAFE.set(text, safe);
  }
  return safe;
}

/** `isPlainSafe` of the short texts seen lately (keys and values repeat across objects and charts). */
const PLAIN_SAFE = new Map<string, boolean>();
const PLAIN_SAFE_LIMIT = 50_000;
const PLAIN_SAFE_LONGEST = 200;

function readsBackPlain(text: string): boolean {
  if (
    text === '' ||
    text.includes(HELM_NO_VALUE) ||
    FIRST_UNSAFE.test(text) ||
    CONTROL.test(text) ||
    text !== text.trim() ||
    UNSAFE_INSIDE.test(text)
  )
    return false;
  if (SPECIAL_WORDS.has(text.toLowerCase())) return false;
  if (NEEDS_CHECK_START.test(text) && readsAsNonString(text)) return false;
  return true;
}

/**
 * How a multi-line string is written as a literal block (`|`, `|-`), or undefined when it cannot be
 * one and must be double-quoted: special line breaks or control characters, trailing blanks, or
 * several trailing newlines (a template's `{{-` would eat them).
 */
export function literalBlock(text: string): { header: string; lines: string[] } | undefined {
  if (
    !text.includes('\n') ||
    text.includes(HELM_NO_VALUE) ||
    BLOCK_UNSAFE.test(text) ||
    /[ \t]\n?$/.test(text) ||
    /\n\n$/.test(text) ||
    text === '\n'
  )
    return undefined;
  const keep = text.endsWith('\n');
  const body = keep ? text.slice(0, -1) : text;
  const indicator = /^[ \t]/.test(body) || body.startsWith('\n') ? '2' : '';
  return { header: `|${indicator}${keep ? '' : '-'}`, lines: body.split('\n') };
}

/** A double-quoted YAML scalar (JSON's escapes, plus YAML escapes for the line breaks JSON leaves raw and for Helm's `<no value>`). */
export function doubleQuoted(text: string): string {
  return JSON.stringify(text)
    .replace(/[\u0085\u2028\u2029\ufeff\x7f-\x9f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replaceAll(HELM_NO_VALUE, '\\x3cno value>');
}

/** A number as YAML text; non-finite numbers have no JSON form and are refused by the caller. */
export function yamlNumber(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

/**
 * Comment lines for text: every line break Go's YAML reader knows starts a new `#` line, so text
 * can never become a key, and characters it refuses anywhere in a file (control characters,
 * U+FEFF, U+FFFE/U+FFFF) are written as `\uXXXX`.
 */
export function commentLines(text: string, indent: string): string[] {
  return text.split(LINE_BREAKS).map((line) => `${indent}# ${line.replace(NOT_PRINTABLE, escapeCharacter)}`.trimEnd());
}

// eslint-disable-next-line no-control-regex -- control characters are what this finds
const NOT_PRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]/g;

function escapeCharacter(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * True when Go's YAML 1.1 reader (go-yaml v2's resolve: underscores dropped, then strconv's
 * base-0 integers with 0x/0o/0b prefixes, floats including hex floats, inf and nan), or a YAML
 * 1.1 reader's float pattern (whose digits are all optional: `.`, `+.`, `e7`, `.e1`), or a YAML
 * 1.1/1.2 reader (sexagesimal numbers, timestamps), reads the plain text as something other than a string.
 */
export function readsAsNonString(text: string): boolean {
  const plain = text.replace(/_/g, '');
  if (/^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|\d+)$/.test(plain)) return true;
  if (/^[-+]?(\d+\.?\d*|\d*\.\d*)([eE][-+]?\d+)?$/.test(plain) || /^[-+]?\d*\.?\d*[eE][-+]?\d+$/.test(plain)) return true;
  if (/^[-+]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][-+]?\d+$/.test(plain)) return true;
  if (/^[-+](inf|infinity|nan)$/i.test(plain) || /^[-+]?\.(inf|nan)$/i.test(text)) return true;
  if (/^[-+]?\d[\d_]*(:[0-5]?\d)+(\.[\d_]*)?$/.test(text)) return true;
  if (/^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)/.test(text)) return true;
  return false;
}
