import { describeValue, HelmSynthError } from '../errors';
import { hasToken } from './token';

/**
 * A string rule as JSON Schema (for values.schema.json): its pattern is valid in JavaScript (with
 * and without the `u` flag) and in Go's RE2, which Helm validates patterns with.
 */
export interface StringSchema {
  /** Always `string`. */
  readonly type: 'string';
  /** Anchored (`^...$`). */
  readonly pattern: string;
  /**
   * Longest accepted text. Only given with a pattern that admits ASCII alone, where JavaScript's
   * `length` (UTF-16 units) and JSON Schema's `maxLength` (code points) agree.
   * @default no bound
   */
  readonly maxLength?: number;
}

/** A rule for text, as a check and as JSON Schema that accept exactly the same strings. */
export interface TextRule {
  /** What a text that passes is, for messages: `a DNS-1123 subdomain`. */
  readonly expected: string;
  /** The check. */
  readonly test: (text: string) => boolean;
  /** The same rule as JSON Schema. */
  readonly schema: StringSchema;
}

function textRule(expected: string, pattern: string, test: (text: string) => boolean, maxLength?: number): TextRule {
  return { expected, test, schema: { type: 'string', pattern, ...(maxLength !== undefined && { maxLength }) } };
}

/** A rule that also accepts one literal text, e.g. `-` (no StorageClass) or `""` (a key whose default is empty). */
export function orLiteral(rule: TextRule, literal: string): TextRule {
  const escaped = literal.replace(/[\^$\\.*+?()[\]{}|/]/g, '\\$&');
  const maxLength = rule.schema.maxLength === undefined ? undefined : Math.max(rule.schema.maxLength, literal.length);
  return textRule(
    `${rule.expected}, or ${describeValue(literal)}`,
    `^${escaped}$|${rule.schema.pattern}`,
    (text) => text === literal || rule.test(text),
    maxLength,
  );
}

/** A rule that also accepts the empty string. */
export function orEmpty(rule: TextRule): TextRule {
  return orLiteral(rule, '');
}

const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS_LABEL = new RegExp(DNS_LABEL_PATTERN);

/** A DNS-1123 label (`[a-z0-9-]`, starting and ending with a letter or digit) of at most `maxLength` characters. */
export function isDnsLabel(text: string, maxLength = 63): boolean {
  return text.length <= maxLength && DNS_LABEL.test(text);
}

/** `isDnsLabel` with 63 characters: object names, `fullnameOverride`. */
export const DNS_LABEL_RULE = textRule('a DNS-1123 label of at most 63 characters', DNS_LABEL_PATTERN, (text) => isDnsLabel(text), 63);

const DNS_1035_LABEL_PATTERN = '^[a-z]([-a-z0-9]*[a-z0-9])?$';
const DNS_1035_LABEL = new RegExp(DNS_1035_LABEL_PATTERN);

/** A DNS-1035 label: a DNS-1123 label that starts with a letter, at most 63 characters (Service names). */
export function isDns1035Label(text: string): boolean {
  return text.length <= 63 && DNS_1035_LABEL.test(text);
}

/** `isDns1035Label` as a rule. */
export const DNS_1035_LABEL_RULE = textRule(
  'a DNS-1035 label (lower-case letters, digits and "-", starting with a letter) of at most 63 characters',
  DNS_1035_LABEL_PATTERN,
  isDns1035Label,
  63,
);

/**
 * An IANA service name, as Kubernetes takes for a container port's name: 1 to 15 lower-case letters,
 * digits and `-`, at least one letter, no `-` at either end or twice in a row.
 */
export function isIanaServiceName(text: string): boolean {
  return text.length <= 15 && /[a-z]/.test(text) && !text.includes('--') && isDnsLabel(text);
}

/** A name Kubernetes takes where it only needs a path segment (Role, RoleBinding and their cluster kinds): not `.` or `..`, no `/` or `%`. */
export function isPathSegmentName(text: string): boolean {
  return text !== '' && text !== '.' && text !== '..' && !/[/%]/.test(text);
}

/** `isPathSegmentName` as a rule. */
export const PATH_SEGMENT_NAME_RULE = textRule(
  'a name without "/" or "%" that is not "." or ".."',
  '^([^/%.][^/%]*|\\.[^/%.][^/%]*|\\.\\.[^/%]+)$',
  isPathSegmentName,
);

const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const DNS_SUBDOMAIN = new RegExp(DNS_SUBDOMAIN_PATTERN);

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters (Secret, StorageClass, host names). */
export function isDnsSubdomain(text: string): boolean {
  return text.length <= 253 && DNS_SUBDOMAIN.test(text);
}

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * A label or annotation key (a Kubernetes qualified name): an optional DNS-1123 subdomain and `/`,
 * then at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.
 */
export function isQualifiedName(text: string): boolean {
  const parts = text.split('/');
  if (parts.length > 2 || (parts.length === 2 && !isDnsSubdomain(parts[0]))) return false;
  const name = parts[parts.length - 1];
  return name.length <= 63 && QUALIFIED_NAME_PART.test(name);
}

/** A label value: empty, or at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit. */
export function isLabelValue(text: string): boolean {
  return text === '' || (text.length <= 63 && QUALIFIED_NAME_PART.test(text));
}

/** `isDnsSubdomain` as a rule. */
export const DNS_SUBDOMAIN_RULE = textRule('a DNS-1123 subdomain of at most 253 characters', DNS_SUBDOMAIN_PATTERN, isDnsSubdomain, 253);

const H16 = '[0-9a-fA-F]{1,4}';
const IPV6_PATTERN = [
  `(${H16}:){7}${H16}`,
  `(${H16}:){1,7}:`,
  `(${H16}:){1,6}:${H16}`,
  `(${H16}:){1,5}(:${H16}){1,2}`,
  `(${H16}:){1,4}(:${H16}){1,3}`,
  `(${H16}:){1,3}(:${H16}){1,4}`,
  `(${H16}:){1,2}(:${H16}){1,5}`,
  `${H16}:(:${H16}){1,6}`,
  `:((:${H16}){1,7}|:)`,
].join('|');
const HOST_PATTERN = `${DNS_SUBDOMAIN_PATTERN}|^(${IPV6_PATTERN})$`;
const IPV6 = new RegExp(`^(${IPV6_PATTERN})$`);

/**
 * A server's host as a client takes it: a DNS-1123 subdomain of at most 253 characters (which
 * includes an IPv4 address and a FQDN such as `postgresql.db.svc.cluster.local`) or an IPv6 address
 * (without zone or embedded IPv4).
 */
export function isHost(text: string): boolean {
  return isDnsSubdomain(text) || IPV6.test(text);
}

/** `isHost` as a rule. */
export const HOST_RULE = textRule(
  'a host name (a DNS-1123 subdomain such as db.example.svc.cluster.local), or an IPv4 or IPv6 address',
  HOST_PATTERN,
  isHost,
  253,
);

const QUANTITY_PATTERN = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$';
const QUANTITY = new RegExp(QUANTITY_PATTERN);

/** A Kubernetes quantity such as `50m`, `0.5`, `64Mi`, `1Gi`, `1e3`. */
export function isQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

/** `isQuantity` as a rule. */
export const QUANTITY_RULE = textRule('a Kubernetes quantity such as 10Gi', QUANTITY_PATTERN, isQuantity);

const SECRET_KEY_PATTERN = '^[-._a-zA-Z0-9]+$';
const SECRET_KEY = new RegExp(SECRET_KEY_PATTERN);

/** A key of a Secret's or ConfigMap's data: letters, digits, `-`, `_`, `.`, at most 253 characters. */
export function isSecretKey(text: string): boolean {
  return text.length <= 253 && SECRET_KEY.test(text);
}

/** `isSecretKey` as a rule. */
export const SECRET_KEY_RULE = textRule("a Secret key (letters, digits, '-', '_', '.')", SECRET_KEY_PATTERN, isSecretKey, 253);

const IMAGE_REGISTRY_PATTERN = '^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*(:[0-9]{1,5})?$';
const IMAGE_REGISTRY = new RegExp(IMAGE_REGISTRY_PATTERN);

/** A registry host of an image reference, with an optional port: `docker.io`, `registry.example.com:5000`. */
export function isImageRegistry(text: string): boolean {
  return text.length <= 255 && IMAGE_REGISTRY.test(text);
}

/** `isImageRegistry` as a rule. */
export const IMAGE_REGISTRY_RULE = textRule(
  'a registry host such as docker.io or registry.example.com:5000',
  IMAGE_REGISTRY_PATTERN,
  isImageRegistry,
  255,
);

const IMAGE_REPOSITORY_PATTERN = '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$';
const IMAGE_REPOSITORY = new RegExp(IMAGE_REPOSITORY_PATTERN);

/** A repository path of an image reference (lower-case components separated by `/`): `bitnamilegacy/postgresql`. */
export function isImageRepository(text: string): boolean {
  return text.length <= 255 && IMAGE_REPOSITORY.test(text);
}

/** `isImageRepository` as a rule. */
export const IMAGE_REPOSITORY_RULE = textRule(
  'a repository path such as bitnamilegacy/postgresql',
  IMAGE_REPOSITORY_PATTERN,
  isImageRepository,
  255,
);

const IMAGE_TAG_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(@sha256:[0-9a-f]{64})?$';
const IMAGE_TAG = new RegExp(IMAGE_TAG_PATTERN);

/** An image tag, optionally followed by `@sha256:<64 hex>` (how a digest is pinned where a chart has no digest key). */
export function isImageTag(text: string): boolean {
  return IMAGE_TAG.test(text);
}

/** `isImageTag` as a rule. */
export const IMAGE_TAG_RULE = textRule(
  "an image tag (letters, digits, '_', '.', '-'; at most 128), optionally @sha256:<64 hex>",
  IMAGE_TAG_PATTERN,
  isImageTag,
);

const IMAGE_DIGEST_PATTERN = '^sha256:[0-9a-f]{64}$';
const IMAGE_DIGEST = new RegExp(IMAGE_DIGEST_PATTERN);

/** An image digest: `sha256:` and 64 lower-case hex digits. */
export function isImageDigest(text: string): boolean {
  return IMAGE_DIGEST.test(text);
}

/** `isImageDigest` as a rule. */
export const IMAGE_DIGEST_RULE = textRule('sha256: and 64 lower-case hex digits', IMAGE_DIGEST_PATTERN, isImageDigest);

/** A PostgreSQL name (role, database): 1 to 63 bytes (a longer one is silently cut by the server), no NUL. */
export function isPostgresName(text: string): boolean {
  return text !== '' && Buffer.byteLength(text) <= 63 && !text.includes('\u0000');
}

const PLAIN_POSTGRES_NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$';
const PLAIN_POSTGRES_NAME = new RegExp(PLAIN_POSTGRES_NAME_PATTERN);

/**
 * A PostgreSQL name that is also plain text in YAML and shell: 1 to 63 ASCII letters, digits, `_`,
 * `.` and `-`, starting with a letter, digit or `_` (always an `isPostgresName`). For names a chart
 * writes without quoting, where a byte length (which JSON Schema cannot express) or a quote, `: `,
 * ` #` or a newline would break or silently change the output.
 */
export function isPlainPostgresName(text: string): boolean {
  return PLAIN_POSTGRES_NAME.test(text);
}

/** `isPlainPostgresName` as a rule. */
export const PLAIN_POSTGRES_NAME_RULE = textRule(
  "a PostgreSQL name of 1 to 63 ASCII letters, digits, '_', '.' and '-', starting with a letter, digit or '_'",
  PLAIN_POSTGRES_NAME_PATTERN,
  isPlainPostgresName,
  63,
);

const TEMPLATE_FREE_PATTERN = '^([^{]|\\{[^{])*\\{?$';

/** Text without `{{`: what a chart may hand to Helm's `tpl` without it being run as a template. */
export function isTemplateFree(text: string): boolean {
  return !text.includes('{{');
}

/** `isTemplateFree` as a rule. */
export const TEMPLATE_FREE_RULE = textRule('text without "{{" (it is run through Helm\'s tpl)', TEMPLATE_FREE_PATTERN, isTemplateFree);

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

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
  if (hasLoneSurrogate(value))
    throw new HelmSynthError(where, `${field} ${describeValue(value)} holds a lone UTF-16 surrogate, which cannot be written as UTF-8`);
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
