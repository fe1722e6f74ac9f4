import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import {
  checkDeletePolicy,
  checkHookEvent,
  checkHookWeight,
  checkOutputLogPolicy,
  HookDeletePolicy,
  HookEvent,
  HookOutputLogPolicy,
} from './hook-types';

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

interface CheckedProps {
  readonly events: readonly HookEvent[];
  readonly weight: number;
  readonly deletePolicies: readonly HookDeletePolicy[];
  readonly outputLogPolicies: readonly HookOutputLogPolicy[];
}

const HOOK = Symbol.for('helm-synth.hook');
const DEPENDENTS = Symbol.for('helm-synth.hook-dependents');

type HookHolder = { [HOOK]?: Hook; [DEPENDENTS]?: Dependent[] };

/** Hook state lives on the constructs themselves, so every copy of the library sees it. */
const hooks = {
  get: (construct: IConstruct): Hook | undefined => (construct as unknown as HookHolder)[HOOK],
  has: (construct: IConstruct): boolean => (construct as unknown as HookHolder)[HOOK] !== undefined,
  set: (construct: IConstruct, hook: Hook): void => {
    const holder = construct as unknown as HookHolder;
    const first = holder[HOOK] === undefined;
    Object.defineProperty(construct, HOOK, { value: hook, configurable: true });
    if (first) construct.node.addValidation({ validate: () => validateHook(construct) });
  },
};
const dependents = {
  get: (construct: IConstruct): Dependent[] | undefined => (construct as unknown as HookHolder)[DEPENDENTS],
  set: (construct: IConstruct, list: Dependent[]): void => {
    Object.defineProperty(construct, DEPENDENTS, { value: list, configurable: true });
  },
};

interface Dependent {
  readonly construct: IConstruct;
  /** The resource exists only for this hook: same events (unpaired) and delete policies. */
  readonly owned: boolean;
}

const INSTALL_UPGRADE_PAIRS: Partial<Record<HookEvent, HookEvent>> = {
  [HookEvent.PRE_INSTALL]: HookEvent.PRE_UPGRADE,
  [HookEvent.PRE_UPGRADE]: HookEvent.PRE_INSTALL,
  [HookEvent.POST_INSTALL]: HookEvent.POST_UPGRADE,
  [HookEvent.POST_UPGRADE]: HookEvent.POST_INSTALL,
};

/**
 * Makes a construct a Helm hook: every Kubernetes object inside it gets the `helm.sh/hook`
 * annotations. Works on any construct: a cdk8s-plus Job, Pod, Secret, ConfigMap, ServiceAccount,
 * a raw `ApiObject`, or a scope that contains several.
 *
 * A hook that reads another resource of the chart declares it with `dependsOn`: the resource then
 * becomes a hook of the same events (install and upgrade both) that runs just before it.
 */
export class Hook {
  /** Makes `construct` a hook; replaces a hook set on it before (dependencies declared on it stay). */
  public static apply(construct: IConstruct, props: HookProps): Hook {
    const hook = new Hook(construct, checkProps(construct.node.path, props));
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

  /** The construct that is the hook. */
  public readonly construct: IConstruct;

  private constructor(
    construct: IConstruct,
    private readonly explicit: CheckedProps | undefined,
  ) {
    this.construct = construct;
  }

  /** The hooks that declared a dependency on this one's construct. */
  public get dependents(): Hook[] {
    return (dependents.get(this.construct) ?? []).map((dependent) => hooks.get(dependent.construct)!);
  }

  /** True when every hook that depends on this one owns it (`owns`: it exists only for them, like a script ConfigMap). */
  public get ownedOnly(): boolean {
    const list = dependents.get(this.construct) ?? [];
    return list.length > 0 && list.every((d) => d.owned);
  }

  /** True when the hook only exists because other hooks depend on it (no `Hook.apply` of its own). */
  public get derived(): boolean {
    return this.explicit === undefined;
  }

  /**
   * The events, in Helm's canonical order: the ones given, plus those of every dependent hook
   * (with install and upgrade paired, unless the resource is owned by that hook).
   */
  public get events(): readonly HookEvent[] {
    const events = new Set<HookEvent>(this.explicit?.events ?? []);
    for (const { construct, owned } of dependents.get(this.construct) ?? []) {
      for (const event of hooks.get(construct)!.events) {
        events.add(event);
        const paired = INSTALL_UPGRADE_PAIRS[event];
        if (paired && !owned) events.add(paired);
      }
    }
    return Object.values(HookEvent).filter((event) => events.has(event));
  }

  /** The weight: the one given, lowered below every dependent hook's weight. */
  public get weight(): number {
    const weights = this.dependents.map((dependent) => dependent.weight - 1);
    if (this.explicit) weights.push(this.explicit.weight);
    return checkHookWeight(Math.min(...weights), this.construct.node.path);
  }

  /**
   * The delete policies: the ones given, `before-hook-creation` once other hooks depend on it, and
   * those of the hooks that own it.
   */
  public get deletePolicies(): readonly HookDeletePolicy[] {
    const policies = new Set(this.explicit?.deletePolicies ?? []);
    for (const { construct, owned } of dependents.get(this.construct) ?? []) {
      policies.add(HookDeletePolicy.BEFORE_HOOK_CREATION);
      if (owned) hooks.get(construct)!.deletePolicies.forEach((policy) => policies.add(policy));
    }
    return Object.values(HookDeletePolicy).filter((policy) => policies.has(policy));
  }

  /** The output-log policies. */
  public get outputLogPolicies(): readonly HookOutputLogPolicy[] {
    return this.explicit?.outputLogPolicies ?? [];
  }

  /** True when the hook runs at this event. */
  public runsAt(event: HookEvent): boolean {
    return this.events.includes(event);
  }

  /**
   * Declares that this hook reads the given resources (a Secret, ConfigMap, ServiceAccount, PVC,
   * or any construct holding Kubernetes objects of the same chart). Each becomes a hook that runs
   * at this hook's events, install and upgrade both (a pre-install hook's dependency also runs at
   * pre-upgrade, so upgrades refresh it), with a lower weight and `before-hook-creation`.
   */
  public dependsOn(...resources: IConstruct[]): this {
    return this.addDependents(resources, false);
  }

  /**
   * Declares resources that exist only for this hook (a ConfigMap holding its script): each
   * becomes a hook of exactly this hook's events, with a lower weight, deleted when this hook is.
   */
  public owns(...resources: IConstruct[]): this {
    return this.addDependents(resources, true);
  }

  /** The annotations Helm reads, exactly as it expects them (the weight as a quoted string). */
  public get annotations(): Record<string, string> {
    const deletePolicies = this.deletePolicies;
    const outputLogPolicies = this.outputLogPolicies;
    return {
      'helm.sh/hook': this.events.join(','),
      'helm.sh/hook-weight': String(this.weight),
      ...(deletePolicies.length && { 'helm.sh/hook-delete-policy': deletePolicies.join(',') }),
      ...(outputLogPolicies.length && { 'helm.sh/hook-output-log-policy': outputLogPolicies.join(',') }),
    };
  }

  private addDependents(resources: IConstruct[], owned: boolean): this {
    const where = this.construct.node.path;
    for (const resource of resources) {
      if (!resource || typeof resource !== 'object' || !('node' in resource)) {
        throw new HelmSynthError(
          where,
          `dependsOn takes constructs (a Secret, ConfigMap, ServiceAccount, ApiObject, ...), got ${describeValue(resource)}`,
        );
      }
      const path = resource.node.path;
      if (!resource.node.findAll().some(ApiObject.isApiObject)) {
        throw new HelmSynthError(where, `dependency ${path} holds no Kubernetes object`);
      }
      if (resource === this.construct) throw new HelmSynthError(where, 'a hook cannot depend on itself');
      if (this.construct.node.scopes.includes(resource)) {
        throw new HelmSynthError(
          where,
          `dependency ${path} contains the hook itself; depend on the objects it reads, not on a scope around the hook`,
        );
      }
      if (Chart.of(resource) !== Chart.of(this.construct)) {
        throw new HelmSynthError(
          where,
          `dependency ${path} belongs to another chart (${Chart.of(resource).node.path}); a hook can only depend on objects of its own chart`,
        );
      }
      if (this.isRequiredBy(resource)) {
        throw new HelmSynthError(where, `dependency cycle: ${path} already depends on ${where}`);
      }
      const list = dependents.get(resource) ?? [];
      const existing = list.findIndex((d) => d.construct === this.construct);
      if (existing >= 0) list.splice(existing, 1, { construct: this.construct, owned: owned && list[existing].owned });
      else list.push({ construct: this.construct, owned });
      dependents.set(resource, list);
      if (!hooks.has(resource)) hooks.set(resource, new Hook(resource, undefined));
    }
    return this;
  }

  private isRequiredBy(construct: IConstruct, seen = new Set<IConstruct>()): boolean {
    for (const { construct: dependent } of dependents.get(this.construct) ?? []) {
      if (dependent === construct) return true;
      if (seen.has(dependent)) continue;
      seen.add(dependent);
      if (hooks.get(dependent)!.isRequiredBy(construct, seen)) return true;
    }
    return false;
  }
}

function validateHook(construct: IConstruct): string[] {
  if (construct.node.findAll().some(ApiObject.isApiObject)) return [];
  return [`Hook.apply(${construct.node.path}) has no object to apply to: the construct holds no Kubernetes object`];
}

function checkProps(where: string, props: HookProps): CheckedProps {
  if (!props || !Array.isArray(props.events) || props.events.length === 0) {
    throw new HelmSynthError(where, `a hook needs at least one event, got ${describeValue(props?.events)}`);
  }
  const events = props.events.map((event) => checkHookEvent(event, where));
  if (props.deletePolicies !== undefined && !Array.isArray(props.deletePolicies)) {
    throw new HelmSynthError(where, `hook delete policies must be a list, got ${describeValue(props.deletePolicies)}`);
  }
  if (props.outputLogPolicies !== undefined && !Array.isArray(props.outputLogPolicies)) {
    throw new HelmSynthError(where, `hook output-log policies must be a list, got ${describeValue(props.outputLogPolicies)}`);
  }
  return {
    events: Object.values(HookEvent).filter((event) => events.includes(event)),
    weight: checkHookWeight(props.weight ?? 0, where),
    deletePolicies: unique((props.deletePolicies ?? [HookDeletePolicy.BEFORE_HOOK_CREATION]).map((p) => checkDeletePolicy(p, where))),
    outputLogPolicies: unique((props.outputLogPolicies ?? []).map((p) => checkOutputLogPolicy(p, where))),
  };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
