import { FieldPathSegment } from '../chart/template';
import { isDns1035Label, isDnsLabel, isDnsSubdomain, isEnvName, isIanaServiceName, isPathSegmentName, isSecretKey } from '../tokens/checks';

type Path = readonly FieldPathSegment[];

/** A rule for one kind of name Kubernetes validates: the check and what it expects, for messages. */
interface NameRule {
  readonly test: (text: string) => boolean;
  readonly expected: string;
}

const DNS_SUBDOMAIN: NameRule = {
  test: isDnsSubdomain,
  expected: 'a DNS-1123 subdomain (lower-case letters, digits, "-" and ".") of at most 253 characters',
};
const DNS_LABEL: NameRule = {
  test: (text) => isDnsLabel(text),
  expected: 'a DNS-1123 label (lower-case letters, digits and "-") of at most 63 characters',
};
const DNS_1035_LABEL: NameRule = {
  test: isDns1035Label,
  expected: 'a DNS-1035 label (lower-case letters, digits and "-", starting with a letter) of at most 63 characters',
};
const PATH_SEGMENT: NameRule = { test: isPathSegmentName, expected: 'a name without "/" or "%" that is not "." or ".."' };

/** How Kubernetes validates `metadata.name`, by kind; every other kind takes a DNS-1123 subdomain. */
const OBJECT_NAME_RULES: Readonly<Record<string, NameRule>> = {
  Service: DNS_1035_LABEL,
  Namespace: DNS_LABEL,
  Role: PATH_SEGMENT,
  ClusterRole: PATH_SEGMENT,
  RoleBinding: PATH_SEGMENT,
  ClusterRoleBinding: PATH_SEGMENT,
};

/** The rule for a literal object name of a kind. */
export function objectNameRule(kind: string): NameRule {
  return OBJECT_NAME_RULES[kind] ?? DNS_SUBDOMAIN;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/**
 * What is wrong with a literal text written at a path where Kubernetes takes a name (a container's,
 * a port's, an environment variable's, a Service's port), or undefined when it is fine or no name.
 */
export function nameProblem(path: Path, kind: string, text: string): string | undefined {
  const n = path.length;
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
