import { FieldPathSegment } from '../chart/template';
import {
  DNS_1035_LABEL_RULE,
  DNS_LABEL_RULE,
  DNS_SUBDOMAIN_RULE,
  isEnvName,
  isIanaServiceName,
  isSecretKey,
  PATH_SEGMENT_NAME_RULE,
  TextRule,
} from '../tokens/checks';

type Path = readonly FieldPathSegment[];

/** A rule for one kind of name Kubernetes validates: the check and what it expects, for messages. */
interface NameRule {
  readonly test: (text: string) => boolean;
  readonly expected: string;
}

const DNS_LABEL: NameRule = DNS_LABEL_RULE;

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
  const n = path.length;
  if (n === 2 && path[0] === 'metadata' && (path[1] === 'name' || path[1] === 'namespace')) {
    const rule = path[1] === 'name' ? objectNameRule(kind) : DNS_LABEL_RULE;
    return rule.test(text) ? undefined : `${kind} ${path[1]} ${JSON.stringify(text)} must be ${rule.expected}`;
  }
  if (path[n - 1] !== 'name' || typeof path[n - 2] !== 'number') return undefined;
  const list = path[n - 3];
  const rule =
    typeof list === 'string' && CONTAINER_LISTS.has(list)
      ? { rule: DNS_LABEL, what: 'container name' }
      : list === 'ports' && CONTAINER_LISTS.has(String(path[n - 5]))
        ? {
            rule: {
              test: isIanaServiceName,
              expected:
                'an IANA service name (1 to 15 lower-case letters, digits and "-", at least one letter, no "-" at either end or twice in a row)',
            },
            what: 'container port name',
          }
        : list === 'ports' && kind === 'Service' && n === 4
          ? { rule: DNS_LABEL, what: 'Service port name' }
          : list === 'env' && CONTAINER_LISTS.has(String(path[n - 5]))
            ? {
                rule: { test: isEnvName, expected: 'letters, digits, "_", "-" and ".", not starting with a digit' },
                what: 'environment variable name',
              }
            : undefined;
  if (!rule || rule.rule.test(text)) return undefined;
  return `${rule.what} ${JSON.stringify(text)} must be ${rule.rule.expected}`;
}

/** What is wrong with a key of a ConfigMap's or Secret's data, or undefined. */
export function dataKeyProblem(path: Path, kind: string, key: string): string | undefined {
  if ((kind !== 'ConfigMap' && kind !== 'Secret') || path.length !== 1) return undefined;
  if (path[0] !== 'data' && path[0] !== 'binaryData' && path[0] !== 'stringData') return undefined;
  if (isSecretKey(key) && key !== '.' && !key.startsWith('..')) return undefined;
  return `${kind} key ${JSON.stringify(key)} must be letters, digits, "-", "_" and "." (not "." and not starting with ".."), at most 253 characters`;
}
