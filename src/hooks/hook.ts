import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { checkDeletePolicy, checkHookEvent, checkHookWeight, checkOutputLogPolicy, HookDeletePolicy, HookEvent, HookOutputLogPolicy } from './hook-types';

/** Settings of a Helm hook. */
export interface HookProps {
  /** The events that run the hook (several at once allowed). */
  readonly events: readonly HookEvent[];
  /**
   * Order among the hooks of one event: lower runs first; equal weights run in name order.
   * @default 0
   */
  readonly weight?: number;
  /**
   * When Helm deletes the hook resource.
   * @default [HookDeletePolicy.BEFORE_HOOK_CREATION] (what Helm does when none is given, written out)
   */
  readonly deletePolicies?: readonly HookDeletePolicy[];
  /**
   * When Helm prints the hook's pod logs (Helm 3.18+; older Helm ignores it).
   * @default none
   */
  readonly outputLogPolicies?: readonly HookOutputLogPolicy[];
}

const hooks = new WeakMap<IConstruct, Hook>();

/**
 * Makes a construct a Helm hook: every Kubernetes object inside it gets the `helm.sh/hook`
 * annotations. Works on any construct: a cdk8s-plus Job, Pod, Secret, ConfigMap, ServiceAccount,
 * a raw `ApiObject`, or a scope that contains several.
 */
export class Hook {
  /** Makes `construct` a hook; replaces a hook set on it before. */
  public static apply(construct: IConstruct, props: HookProps): Hook {
    const hook = new Hook(construct, props);
    hooks.set(construct, hook);
    return hook;
  }

  /** The hook set on the construct itself, if any. */
  public static of(construct: IConstruct): Hook | undefined {
    return hooks.get(construct);
  }

  /** The hook that applies to an object: set on it or on its nearest scope that has one. */
  public static forObject(object: ApiObject): Hook | undefined {
    for (const scope of object.node.scopes.slice().reverse()) {
      const hook = hooks.get(scope);
      if (hook) return hook;
    }
    return undefined;
  }

  /** The events, in Helm's canonical order. */
  public readonly events: readonly HookEvent[];
  /** The weight. */
  public readonly weight: number;
  /** The delete policies. */
  public readonly deletePolicies: readonly HookDeletePolicy[];
  /** The output-log policies. */
  public readonly outputLogPolicies: readonly HookOutputLogPolicy[];
  /** The construct that is the hook. */
  public readonly construct: IConstruct;

  private constructor(construct: IConstruct, props: HookProps) {
    const where = construct.node.path;
    if (!props || !Array.isArray(props.events) || props.events.length === 0) {
      throw new HelmSynthError(where, `a hook needs at least one event, got ${describeValue(props?.events)}`);
    }
    const events = props.events.map((event) => checkHookEvent(event, where));
    this.events = Object.values(HookEvent).filter((event) => events.includes(event));
    this.weight = checkHookWeight(props.weight ?? 0, where);
    this.deletePolicies = unique((props.deletePolicies ?? [HookDeletePolicy.BEFORE_HOOK_CREATION]).map((p) => checkDeletePolicy(p, where)));
    this.outputLogPolicies = unique((props.outputLogPolicies ?? []).map((p) => checkOutputLogPolicy(p, where)));
    this.construct = construct;
  }

  /** True when the hook runs at this event. */
  public runsAt(event: HookEvent): boolean {
    return this.events.includes(event);
  }

  /** The annotations Helm reads, exactly as it expects them (the weight as a quoted string). */
  public get annotations(): Record<string, string> {
    return {
      'helm.sh/hook': this.events.join(','),
      'helm.sh/hook-weight': String(this.weight),
      ...(this.deletePolicies.length && { 'helm.sh/hook-delete-policy': this.deletePolicies.join(',') }),
      ...(this.outputLogPolicies.length && { 'helm.sh/hook-output-log-policy': this.outputLogPolicies.join(',') }),
    };
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
