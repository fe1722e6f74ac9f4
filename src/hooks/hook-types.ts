import { describeValue, HelmSynthError } from '../errors';
import { describeText, hasToken } from '../tokens/token';

/** The Helm 3 hook events (`helm.sh/hook`). */
export enum HookEvent {
  /** After the templates render, before any resource of the release is created. */
  PRE_INSTALL = 'pre-install',
  /** After every resource of a new release is created. */
  POST_INSTALL = 'post-install',
  /** On `helm uninstall`, before any resource of the release is deleted. */
  PRE_DELETE = 'pre-delete',
  /** On `helm uninstall`, after every resource of the release is deleted. */
  POST_DELETE = 'post-delete',
  /** On upgrade, after the templates render, before any resource is updated. */
  PRE_UPGRADE = 'pre-upgrade',
  /** On upgrade, after every resource is updated. */
  POST_UPGRADE = 'post-upgrade',
  /** On rollback, after the templates render, before any resource is rolled back. */
  PRE_ROLLBACK = 'pre-rollback',
  /** On rollback, after every resource is rolled back. */
  POST_ROLLBACK = 'post-rollback',
  /** Run by `helm test`. */
  TEST = 'test',
}

/** When Helm deletes a hook resource (`helm.sh/hook-delete-policy`). */
export enum HookDeletePolicy {
  /** Delete the previous one before a new one is created (Helm's default when no policy is given). */
  BEFORE_HOOK_CREATION = 'before-hook-creation',
  /** Delete it once it has succeeded. */
  HOOK_SUCCEEDED = 'hook-succeeded',
  /** Delete it when it has failed. */
  HOOK_FAILED = 'hook-failed',
}

/** When Helm prints a hook's pod logs (`helm.sh/hook-output-log-policy`, Helm 3.18+). */
export enum HookOutputLogPolicy {
  /** Print the hook Pods' logs when the hook succeeded. */
  HOOK_SUCCEEDED = 'hook-succeeded',
  /** Print the hook Pods' logs when the hook failed. */
  HOOK_FAILED = 'hook-failed',
}

const ALL_EVENTS = Object.values(HookEvent) as string[];
const HELM2_EVENTS: Record<string, string> = {
  'crd-install': "Helm 3 removed the crd-install hook: put CustomResourceDefinitions in the chart's crds/ folder",
  'test-success': 'test-success is the Helm 2 name of HookEvent.TEST: use HookEvent.TEST',
  'test-failure': 'Helm 3 removed test-failure (Helm 3 skips the whole object): a failing test is reported by HookEvent.TEST itself',
};

/** Checks one hook event given at run time (JavaScript callers can pass any string). */
export function checkHookEvent(event: unknown, where: string): HookEvent {
  if (typeof event === 'string' && ALL_EVENTS.includes(event)) return event as HookEvent;
  const hint = typeof event === 'string' && HELM2_EVENTS[event];
  throw new HelmSynthError(
    where,
    `hook event ${describeValue(event)} is not a Helm 3 event${hint ? `: ${hint}` : ` (Helm would silently skip the whole object); use one of ${ALL_EVENTS.join(', ')}`}`,
  );
}

/** Checks a delete policy given at run time. */
export function checkDeletePolicy(policy: unknown, where: string): HookDeletePolicy {
  if (Object.values(HookDeletePolicy).includes(policy as HookDeletePolicy)) return policy as HookDeletePolicy;
  throw new HelmSynthError(
    where,
    `hook delete policy ${describeValue(policy)} is unknown (Helm would silently ignore it); use one of ${Object.values(HookDeletePolicy).join(', ')}`,
  );
}

/** Checks an output-log policy given at run time. */
export function checkOutputLogPolicy(policy: unknown, where: string): HookOutputLogPolicy {
  if (Object.values(HookOutputLogPolicy).includes(policy as HookOutputLogPolicy)) return policy as HookOutputLogPolicy;
  throw new HelmSynthError(
    where,
    `hook output-log policy ${describeValue(policy)} is unknown; use one of ${Object.values(HookOutputLogPolicy).join(', ')}`,
  );
}

/** Checks a hook weight: Helm parses it as an integer and silently reads anything else as 0. */
export function checkHookWeight(weight: unknown, where: string): number {
  if (typeof weight === 'number' && Number.isSafeInteger(weight) && weight >= -(2 ** 31) && weight < 2 ** 31) return weight;
  if (hasToken(weight)) {
    throw new HelmSynthError(
      where,
      `hook weight ${describeText(weight)} must be a literal integer: synthesis orders hooks by their weights (the lifecycle plan, hook dependencies)`,
    );
  }
  if (typeof weight === 'number' && Number.isInteger(weight)) {
    throw new HelmSynthError(
      where,
      `hook weight ${describeValue(weight)} is out of range: use ${-(2 ** 31)} to ${2 ** 31 - 1} (Helm parses a weight as a Go int, 32 bits on 32-bit platforms, and silently uses 0 for one it cannot parse)`,
    );
  }
  throw new HelmSynthError(where, `hook weight ${describeValue(weight)} is not an integer (Helm would silently use 0)`);
}
