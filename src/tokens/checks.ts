import { describeValue, HelmSynthError } from '../errors';
import { describeText, hasToken } from './token';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The DNS-1123 subdomain rule as a JSON Schema `pattern` (valid in RE2 and JavaScript); length is `maxLength: 253`. */
export const DNS_SUBDOMAIN_PATTERN = DNS_SUBDOMAIN.source;

/** A schema pattern that also accepts the empty string (an optional name). */
export function emptyOr(pattern: string): string {
  return `^$|${pattern}`;
}

/** A DNS-1123 label (`[a-z0-9-]`, starting and ending with a letter or digit) of at most `maxLength` characters. */
export function isDnsLabel(text: string, maxLength = 63): boolean {
  return text.length <= maxLength && DNS_LABEL.test(text);
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters (Secret, StorageClass, host names). */
export function isDnsSubdomain(text: string): boolean {
  return text.length <= 253 && DNS_SUBDOMAIN.test(text);
}

/** A Kubernetes quantity such as `50m`, `0.5`, `64Mi`, `1Gi`, `1e3`. */
export function isQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

/** A label value: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending with a letter or digit, or empty. */
export function isLabelValue(text: string): boolean {
  return text.length <= 63 && LABEL_VALUE.test(text);
}

/** A PostgreSQL name (role, database): 1 to 63 bytes (a longer one is silently cut by the server), no NUL. */
export function isPostgresName(text: string): boolean {
  return text !== '' && Buffer.byteLength(text) <= 63 && !text.includes('\u0000');
}

/** An environment variable name as Kubernetes accepts it. */
export function isEnvName(text: string): boolean {
  return ENV_NAME.test(text);
}

/** True when the text holds a lone UTF-16 surrogate, which no UTF-8 file can hold. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Checks a required non-empty string (a token is fine); returns it. */
export function checkText(value: unknown, field: string, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new HelmSynthError(where, `${field} ${describeValue(value)} must be a non-empty string`);
  }
  if (hasLoneSurrogate(value)) throw new HelmSynthError(where, `${field} ${describeValue(value)} holds a lone UTF-16 surrogate, which cannot be written as UTF-8`);
  return value;
}

/** Checks an optional non-empty string; returns it or undefined. */
export function optionalText(value: unknown, field: string, where: string): string | undefined {
  return value === undefined ? undefined : checkText(value, field, where);
}

/** Checks an integer prop that may also be a number token; returns it unchanged. */
export function checkInteger(value: unknown, field: string, where: string, minimum: number, maximum = 2 ** 31 - 1): number {
  if (hasToken(value)) return value as number;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum || value > maximum) {
    throw new HelmSynthError(where, `${field} ${describeValue(value)} must be an integer from ${minimum} to ${maximum}, or a value token`);
  }
  return value;
}

/** Checks a literal (token-free) string against a rule; returns it or undefined when not given. */
export function checkLiteral(value: unknown, field: string, where: string, rule: (text: string) => boolean, expected: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || hasToken(value)) {
    throw new HelmSynthError(where, `${field} ${describeText(value)} must be a literal string (${expected})`);
  }
  if (!rule(value)) throw new HelmSynthError(where, `${field} ${describeValue(value)} must be ${expected}`);
  return value;
}

/** Checks a string that may be a token or a literal obeying a rule; returns it or undefined when not given. */
export function checkTextOrToken(value: unknown, field: string, where: string, rule: (text: string) => boolean, expected: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new HelmSynthError(where, `${field} ${describeValue(value)} must be ${expected}, or a string token`);
  if (hasToken(value)) return value;
  if (!rule(value)) throw new HelmSynthError(where, `${field} ${describeValue(value)} must be ${expected}, or a string token`);
  return value;
}

/** Checks a list of strings; returns a copy. */
export function checkStringList(value: unknown, field: string, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new HelmSynthError(where, `${field} ${describeValue(value)} must be a list of strings`);
  }
  return [...value];
}
