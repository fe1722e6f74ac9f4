import { FieldPathSegment } from '../chart/template';
import { POD_METADATA_PATHS } from '../chart/kinds';
import {
  DNS_1035_LABEL_RULE,
  DNS_LABEL_RULE,
  DNS_SUBDOMAIN_RULE,
  isEnvName,
  isIanaServiceName,
  isLabelValue,
  isQualifiedName,
  isSecretKey,
  PATH_SEGMENT_NAME_RULE,
  TextRule,
} from '../tokens/checks';

type Path = readonly FieldPathSegment[];

/** A rule for one kind of name Kubernetes validates: the check, what it expects (for messages) and, where JSON Schema can say it, its schema. */
type NameRule = Pick<TextRule, 'test' | 'expected'> & { readonly schema?: TextRule['schema'] };

const IANA_SERVICE_NAME: NameRule = {
  test: isIanaServiceName,
  expected:
    'an IANA service name (1 to 15 lower-case letters, digits and "-", at least one letter, no "-" at either end or twice in a row)',
};
const ENV_NAME: NameRule = {
  test: isEnvName,
  expected: 'letters, digits, "_", "-" and ".", not starting with a digit',
  schema: { type: 'string', pattern: '^[-._a-zA-Z][-._a-zA-Z0-9]*$' },
};
const QUALIFIED_NAME_PATTERN =
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$';
const LABEL_VALUE_PATTERN = '^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$';
const BASE64: NameRule = {
  test: (text) => {
    const data = text.replace(/[\r\n]/g, '');
    return data.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(data);
  },
  expected: "base64 (standard alphabet, padded): plain text goes into a Secret's stringData or a ConfigMap's data",
};
const LABEL_VALUE: NameRule = {
  test: isLabelValue,
  expected: 'empty, or at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
  schema: { type: 'string', pattern: LABEL_VALUE_PATTERN },
};
const QUALIFIED_NAME =
  'a qualified name: an optional DNS-1123 subdomain and "/", then at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit';

/** Whether the path is an object's metadata or its pod template's, whose labels and annotations Kubernetes checks. */
function isObjectMetadata(path: Path, kind: string): boolean {
  const at = path.join('.');
  return at === 'metadata' || POD_METADATA_PATHS[kind]?.join('.') === at;
}

/**
 * What Kubernetes checks of a map at the path, as JSON Schema for a value merged there: the keys of
 * an object's (or its pod template's) labels and annotations, and label values; undefined elsewhere.
 */
export function metadataMapSchema(path: Path, kind: string): Record<string, unknown> | undefined {
  const field = path[path.length - 1];
  if ((field !== 'labels' && field !== 'annotations') || !isObjectMetadata(path.slice(0, -1), kind)) return undefined;
  return {
    type: 'object',
    propertyNames: { type: 'string', pattern: QUALIFIED_NAME_PATTERN, maxLength: 317 },
    ...(field === 'labels' && { additionalProperties: { type: 'string', pattern: LABEL_VALUE_PATTERN } }),
  };
}

/** What is wrong with a label or annotation key written into an object's (or its pod template's) metadata, or undefined. */
export function metadataKeyProblem(path: Path, kind: string, key: string): string | undefined {
  const field = path[path.length - 1];
  if ((field !== 'labels' && field !== 'annotations') || !isObjectMetadata(path.slice(0, -1), kind)) return undefined;
  if (isQualifiedName(key)) return undefined;
  return `${field === 'labels' ? 'label' : 'annotation'} key ${JSON.stringify(key)} must be ${QUALIFIED_NAME}`;
}

/** How Kubernetes validates `metadata.name`, by kind; every other kind takes a DNS-1123 subdomain. */
const OBJECT_NAME_RULES: Readonly<Record<string, TextRule>> = {
  Service: DNS_1035_LABEL_RULE,
  Namespace: DNS_LABEL_RULE,
  Role: PATH_SEGMENT_NAME_RULE,
  ClusterRole: PATH_SEGMENT_NAME_RULE,
  RoleBinding: PATH_SEGMENT_NAME_RULE,
  ClusterRoleBinding: PATH_SEGMENT_NAME_RULE,
};

/** The rule for an object name of a kind, as a check and as a values.schema.json pattern. */
export function objectNameRule(kind: string): TextRule {
  return OBJECT_NAME_RULES[kind] ?? DNS_SUBDOMAIN_RULE;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/**
 * What is wrong with a literal text written at a path where Kubernetes takes a name (the object's
 * name and namespace, a container's, a port's, an environment variable's, a Service's port), or
 * undefined when it is fine or no name.
 */
export function nameProblem(path: Path, kind: string, text: string): string | undefined {
  const found = nameRuleAt(path, kind);
  if (!found || found.rule.test(text)) return undefined;
  return `${found.what} ${JSON.stringify(text)} must be ${found.rule.expected}`;
}

/**
 * The schema a string value must meet to be used whole at a path where Kubernetes takes a name,
 * with what the name is; undefined where there is no such rule or JSON Schema cannot say it.
 */
export function nameSchemaAt(path: Path, kind: string): { schema: TextRule['schema']; what: string } | undefined {
  const found = nameRuleAt(path, kind);
  return found?.rule.schema && { schema: found.rule.schema, what: found.what };
}

/** The name rule of a field, with what the name is for messages. */
function nameRuleAt(path: Path, kind: string): { rule: NameRule; what: string } | undefined {
  const n = path.length;
  if (n === 2 && path[0] === 'metadata' && path[1] === 'name') return { rule: objectNameRule(kind), what: `${kind} name` };
  if (n === 2 && path[0] === 'metadata' && path[1] === 'namespace') return { rule: DNS_LABEL_RULE, what: `${kind} namespace` };
  if (n >= 3 && path[n - 2] === 'labels' && isObjectMetadata(path.slice(0, n - 2), kind)) return { rule: LABEL_VALUE, what: 'label value' };
  if (n === 2 && ((kind === 'Secret' && path[0] === 'data') || (kind === 'ConfigMap' && path[0] === 'binaryData')))
    return { rule: BASE64, what: `${kind} ${path[0]} value` };
  if (path[n - 1] !== 'name' || typeof path[n - 2] !== 'number') return undefined;
  const list = String(path[n - 3]);
  const inContainer = CONTAINER_LISTS.has(String(path[n - 5]));
  if (CONTAINER_LISTS.has(list)) return { rule: DNS_LABEL_RULE, what: 'container name' };
  if (list === 'ports' && inContainer) return { rule: IANA_SERVICE_NAME, what: 'container port name' };
  if (list === 'ports' && kind === 'Service' && n === 4) return { rule: DNS_LABEL_RULE, what: 'Service port name' };
  if (list === 'env' && inContainer) return { rule: ENV_NAME, what: 'environment variable name' };
  return undefined;
}

/** Whether the path is a ConfigMap's or Secret's `data`, `binaryData` or `stringData`, whose keys Kubernetes checks. */
export function isDataKeyMap(path: Path, kind: string): boolean {
  if ((kind !== 'ConfigMap' && kind !== 'Secret') || path.length !== 1) return false;
  return path[0] === 'data' || path[0] === 'binaryData' || path[0] === 'stringData';
}

/** The keys `dataKeyProblem` accepts, as JSON Schema (RE2: no lookahead). */
export const DATA_KEY_SCHEMA = { type: 'string', pattern: '^([-_a-zA-Z0-9]|\\.[-_a-zA-Z0-9])[-._a-zA-Z0-9]*$', maxLength: 253 } as const;

/** What is wrong with a key of a ConfigMap's or Secret's data, or undefined. */
export function dataKeyProblem(path: Path, kind: string, key: string): string | undefined {
  if (!isDataKeyMap(path, kind)) return undefined;
  if (isSecretKey(key) && key !== '.' && !key.startsWith('..')) return undefined;
  return `${kind} key ${JSON.stringify(key)} must be letters, digits, "-", "_" and "." (not "." and not starting with ".."), at most 253 characters`;
}
