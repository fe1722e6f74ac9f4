import { checkPodSecurityAll, formatPodSecurityReports, POD_SECURITY_KUBERNETES_VERSION } from '../../src/policy/pod-security';

/**
 * Fails, listing every violation one per line, when a pod spec of the rendered manifests breaks
 * the Pod Security Standards "restricted" profile (Kubernetes 1.27). Objects without a pod spec
 * are ignored.
 */
export function expectRestrictedPods(manifests: Iterable<unknown>): void {
  const failing = checkPodSecurityAll(manifests).filter((report) => report.violations.length > 0);
  if (failing.length === 0) return;
  const count = failing.reduce((sum, report) => sum + report.violations.length, 0);
  throw new Error(
    `${count} Pod Security Standards "restricted" (Kubernetes ${POD_SECURITY_KUBERNETES_VERSION}) violation(s) ` +
      `in ${failing.map((r) => `${r.kind}/${r.name}`).join(', ')}:\n${formatPodSecurityReports(failing)}`,
  );
}

/** Every violation of the rendered manifests as `Kind/name rule field`, for comparing with a known list. */
export function restrictedViolationIds(manifests: Iterable<unknown>): string[] {
  return checkPodSecurityAll(manifests).flatMap((report) =>
    report.violations.map((v) => `${report.kind}/${report.name} ${v.rule} ${v.field}`),
  );
}
