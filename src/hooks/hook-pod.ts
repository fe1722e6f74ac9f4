import * as kplus from 'cdk8s-plus-27';
import { describeValue, HelmSynthError } from '../errors';
import { Template } from '../chart/template';
import { isQuantity } from '../tokens/checks';
import { hasToken } from '../tokens/token';

/** CPU and memory amounts, as Kubernetes quantities (`50m`, `0.5`, `64Mi`, `1Gi`). */
export interface ResourceAmounts {
  /** CPU. @default none */
  readonly cpu?: string;
  /** Memory. @default none */
  readonly memory?: string;
}

/** Requests and limits of a hook container. */
export interface HookResources {
  /** What the scheduler reserves. @default none */
  readonly requests?: ResourceAmounts;
  /** What the container may use at most. @default none */
  readonly limits?: ResourceAmounts;
}

/** The user and group hook pods run as by default (`nobody`). */
export const HOOK_USER = 65534;

/** Container security of hook pods: non-root `nobody`, read-only root filesystem, no escalation; `overrides` win. */
export function hookContainerSecurity(overrides?: kplus.ContainerSecurityContextProps): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: HOOK_USER,
    group: HOOK_USER,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    ...overrides,
  };
}

/** Pod security of hook pods: non-root `nobody`; `overrides` win. */
export function hookPodSecurity(overrides?: kplus.PodSecurityContextProps): kplus.PodSecurityContextProps {
  return { ensureNonRoot: true, user: HOOK_USER, group: HOOK_USER, ...overrides };
}

/**
 * Opts a pod out of the Pod Security Standard "restricted" settings synthesis fills in (the
 * RuntimeDefault seccomp profile and dropping every capability of the first container), for an
 * image that needs them.
 *
 * @param podSpec path of the pod spec in the object, e.g. `spec.template.spec`
 */
export function unrestrictPodSecurity(template: Template, podSpec: string): void {
  template.remove(`${podSpec}.securityContext.seccompProfile`).remove(`${podSpec}.containers[0].securityContext.capabilities`);
}

/** Checks literal requests and limits. */
export function checkResources(resources: HookResources, where: string): HookResources {
  if (typeof resources !== 'object' || resources === null)
    throw new HelmSynthError(where, `resources ${describeValue(resources)} must be { requests, limits } or an object value`);
  for (const [group, amounts] of Object.entries(resources)) {
    if (group !== 'requests' && group !== 'limits')
      throw new HelmSynthError(where, `resources.${group} is unknown; use requests and limits`);
    for (const [name, amount] of Object.entries(amounts ?? {})) {
      if (name !== 'cpu' && name !== 'memory') throw new HelmSynthError(where, `resources.${group}.${name} is unknown; use cpu and memory`);
      if (typeof amount !== 'string' || (!hasToken(amount) && !isQuantity(amount))) {
        throw new HelmSynthError(
          where,
          `resources.${group}.${name} ${describeValue(amount)} is not a Kubernetes quantity such as 50m, 0.5, 64Mi or 1Gi`,
        );
      }
    }
  }
  return resources;
}
