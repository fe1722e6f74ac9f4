import { jsonAt, POD_SPEC_PATHS } from '../chart/kinds';

const CONTAINER_GROUPS = ['initContainers', 'containers'] as const;

/**
 * Fills in what the Pod Security Standard "restricted" needs and cdk8s-plus leaves out, in every
 * pod spec of a chart's objects: the RuntimeDefault seccomp profile and `runAsNonRoot: true` (pod
 * level, unless every container sets its own) and, per container, `allowPrivilegeEscalation: false`
 * and `capabilities: { drop: [ALL] }`. Only absent fields are
 * written: an author's explicit choice (or `Template.of(x).set/remove`, applied after) wins.
 * Changes the JSON in place (an object's `toJson()` is a fresh copy) and returns it.
 */
export function withRestrictedDefaults(json: Record<string, any>): Record<string, any> {
  const path = POD_SPEC_PATHS[String(json.kind)];
  const spec = path && (jsonAt(json, path) as Record<string, any> | undefined);
  if (!spec || typeof spec !== 'object') return json;
  const pod = (spec.securityContext ??= {}) as Record<string, any>;
  const containers = CONTAINER_GROUPS.flatMap((group) => (Array.isArray(spec[group]) ? spec[group] : [])).filter(
    (c) => c && typeof c === 'object',
  );
  if (pod.seccompProfile === undefined && !containers.every((c) => c.securityContext?.seccompProfile))
    pod.seccompProfile = { type: 'RuntimeDefault' };
  if (pod.runAsNonRoot === undefined && !containers.every((c) => c.securityContext?.runAsNonRoot !== undefined)) pod.runAsNonRoot = true;
  for (const container of containers) {
    const security = (container.securityContext ??= {}) as Record<string, any>;
    security.allowPrivilegeEscalation ??= false;
    security.capabilities ??= { drop: ['ALL'] };
  }
  return json;
}
