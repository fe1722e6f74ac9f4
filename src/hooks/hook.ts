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

/** Options of `Hook.apply`: the settings of a Helm hook. */
export interface HookOptions {
  /** The events that run the hook (several at once allowed). */
  readonly events: readonly HookEvent[];
  /**
   * Order among the hooks of one event: lower runs first; equal weights run in name order.
   * @default 0, or just above the hooks of `after`
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
  /**
   * Hooks this one runs after, at every event it shares with them: a HookJob, a construct given to
   * `Hook.apply`, or any construct holding hook objects (a DbBootstrapHook: after every hook in
   * it). The weight is then derived (above theirs) unless given; a given weight must be above
   * theirs. Same as `Hook.find(...).after(...)`.
   * @default none
   */
  readonly after?: readonly IConstruct[];
}

/**
 * Former name of `HookOptions`.
 * @deprecated Use `HookOptions` (the options of the method `Hook.apply`; cdk8s names what a method takes `Options`). Kept for one minor version.
 */
export type HookProps = HookOptions;

interface CheckedProps {
  readonly events: readonly HookEvent[];
  /** The weight given, if any. */
  readonly weight?: number;
  readonly deletePolicies: readonly HookDeletePolicy[];
  readonly outputLogPolicies: readonly HookOutputLogPolicy[];
}

/**
 * The hook state of a construct, in one slot every copy of the library reads (a construct library
 * built against another copy may call `Hook.apply`): its hook, the hooks depending on it, what it
 * depends on and runs after. On a chart also whether `after` is used and its solved hook order; on
 * the tree's root the count of hook state changes, which a solved order is checked against.
 */
interface HookState {
  hook?: Hook;
  dependents?: Dependent[];
  readonly dependencies: IConstruct[];
  readonly after: IConstruct[];
  ordered?: boolean;
  orderCache?: { readonly stamp: string; readonly order: HookOrder };
  changes?: number;
}

const HOOK_STATE = Symbol.for('helm-synth.hook-state');

/** The hook state of a construct, made (empty) when `create` and missing. */
function hookState(construct: IConstruct): HookState | undefined;
function hookState(construct: IConstruct, create: true): HookState;
function hookState(construct: IConstruct, create = false): HookState | undefined {
  const holder = construct as unknown as { [HOOK_STATE]?: HookState };
  if (holder[HOOK_STATE] || !create) return holder[HOOK_STATE];
  const state: HookState = { dependencies: [], after: [] };
  Object.defineProperty(construct, HOOK_STATE, { value: state, configurable: true });
  return state;
}

/** Counts a change of hook state in the construct tree: a solved hook order is kept until the next one. */
function hookStateChanged(construct: IConstruct): void {
  const root = hookState(construct.node.root, true);
  root.changes = (root.changes ?? 0) + 1;
}

function addOnce(construct: IConstruct, list: IConstruct[], item: IConstruct): void {
  hookStateChanged(construct);
  if (!list.includes(item)) list.push(item);
}

const hooks = {
  get: (construct: IConstruct): Hook | undefined => hookState(construct)?.hook,
  has: (construct: IConstruct): boolean => hookState(construct)?.hook !== undefined,
  set: (construct: IConstruct, hook: Hook): void => {
    const state = hookState(construct, true);
    const first = state.hook === undefined;
    state.hook = hook;
    hookStateChanged(construct);
    if (first) construct.node.addValidation({ validate: () => validateHook(construct) });
  },
};
const dependents = {
  get: (construct: IConstruct): Dependent[] | undefined => hookState(construct)?.dependents,
  set: (construct: IConstruct, list: Dependent[]): void => {
    hookState(construct, true).dependents = list;
    hookStateChanged(construct);
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

const HOOK_BRAND = Symbol.for('helm-synth.Hook');

/**
 * Makes a construct a Helm hook: every Kubernetes object inside it gets the `helm.sh/hook`
 * annotations. Works on any construct: a cdk8s-plus Job, Pod, Secret, ConfigMap, ServiceAccount,
 * a raw `ApiObject`, or a scope that contains several.
 *
 * A hook that reads another resource of the chart declares it with `dependsOn`: the resource then
 * becomes a hook of the same events (install and upgrade both) that runs just before it. A hook
 * that needs another hook to have run declares it with `after`: weights are derived from both, so
 * nobody sets a weight to get above the internal weight of a construct they did not write.
 */
export class Hook {
  /** True for a Hook of any copy of the library (a brand check, not `instanceof`). */
  public static isHook(x: unknown): x is Hook {
    return typeof x === 'object' && x !== null && HOOK_BRAND in x;
  }

  /** Makes `construct` a hook; replaces a hook set on it before (dependencies and `after` declared on it stay). */
  public static apply(construct: IConstruct, props: HookOptions): Hook {
    const hook = new Hook(construct, checkProps(construct.node.path, props));
    hooks.set(construct, hook);
    if (props.after !== undefined) {
      if (!Array.isArray(props.after)) {
        throw new HelmSynthError(construct.node.path, `after takes a list of hooks, got ${describeValue(props.after)}`);
      }
      hook.after(...props.after);
    }
    return hook;
  }

  /**
   * @internal Problems of the order of a chart's hooks (synthesis reports them): an `after` that names no hook, or a hook of other
   * events; a cycle of `after` and `dependsOn`; a given weight that contradicts them.
   */
  public static orderProblems(chart: IConstruct): Array<{ constructPath: string; message: string }> {
    const scope = Chart.of(chart);
    return hookState(scope)?.ordered ? hookOrder(scope).problems : [];
  }

  /** The hook set on the construct itself, if any (`Hook.apply` makes one). */
  public static find(construct: IConstruct): Hook | undefined {
    return hooks.get(construct);
  }

  /**
   * Same as {@link Hook.find}.
   * @deprecated Use `Hook.find`: it looks the hook up and may return undefined, unlike cdk8s's `of`. Kept for one minor version.
   */
  public static of(construct: IConstruct): Hook | undefined {
    return Hook.find(construct);
  }

  /**
   * The hook that applies to an object: set on it or on its nearest scope that has one.
   * @internal
   */
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
    Object.defineProperty(this, HOOK_BRAND, { value: true });
    this.construct = construct;
  }

  /** The hooks that declared a dependency on this one's construct. */
  public get dependents(): Hook[] {
    return (dependents.get(this.construct) ?? []).map((dependent) => hooks.get(dependent.construct)!);
  }

  /**
   * True when every hook that depends on this one owns it (`owns`: it exists only for them, like a script ConfigMap).
   * @internal
   */
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

  /**
   * The weight: the one given (0 when none), raised above the hooks this one runs `after` when
   * none is given, and lowered below every dependent hook's weight.
   */
  public get weight(): number {
    const chart = Chart.of(this.construct);
    if (hookState(chart)?.ordered) {
      const order = hookOrder(chart);
      if (order.problems.length) throw HelmSynthError.fromProblems(order.problems);
      return order.weights.get(this)!;
    }
    const weights = this.dependents.map((dependent) => dependent.weight - 1);
    if (this.explicit) weights.push(this.explicit.weight ?? 0);
    return checkHookWeight(Math.min(...weights), this.construct.node.path);
  }

  /** The weight given to `Hook.apply`, if any. */
  public get givenWeight(): number | undefined {
    return this.explicit?.weight;
  }

  /** The hooks this one runs after (`after`), as declared: every hook in each construct given. */
  public get runsAfter(): Hook[] {
    return unique((hookState(this.construct)?.after ?? []).flatMap((target) => hooksIn(target)));
  }

  /**
   * Runs this hook after others at every event it shares with them: a HookJob, a construct given
   * to `Hook.apply`, or any construct holding hook objects (after every hook in it). Its weight is
   * derived unless given; a given weight below theirs is an error at synthesis, as is an `after`
   * that makes a cycle or names a hook that runs at none of this hook's events.
   */
  public after(...others: IConstruct[]): this {
    const where = this.construct.node.path;
    for (const other of others) {
      if (!other || typeof other !== 'object' || !('node' in other)) {
        throw new HelmSynthError(where, `after takes hooks (a HookJob, a construct given to Hook.apply), got ${describeValue(other)}`);
      }
      if (other === this.construct || this.construct.node.scopes.includes(other)) {
        throw new HelmSynthError(where, `a hook cannot run after itself (${other.node.path} holds it)`);
      }
      if (Chart.of(other) !== Chart.of(this.construct)) {
        throw new HelmSynthError(
          where,
          `after ${other.node.path}: it belongs to another chart (${Chart.of(other).node.path}); hooks are ordered within one chart`,
        );
      }
      addOnce(this.construct, hookState(this.construct, true).after, other);
    }
    hookState(Chart.of(this.construct), true).ordered = true;
    return this;
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
      addOnce(this.construct, hookState(this.construct, true).dependencies, resource);
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

function checkProps(where: string, props: HookOptions): CheckedProps {
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
    weight: props.weight === undefined ? undefined : checkHookWeight(props.weight, where),
    deletePolicies: unique((props.deletePolicies ?? [HookDeletePolicy.BEFORE_HOOK_CREATION]).map((p) => checkDeletePolicy(p, where))),
    outputLogPolicies: unique((props.outputLogPolicies ?? []).map((p) => checkOutputLogPolicy(p, where))),
  };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** The hooks of the objects inside a construct (each object's own or nearest scope's hook). */
function hooksIn(construct: IConstruct): Hook[] {
  return unique(
    construct.node
      .findAll()
      .filter(ApiObject.isApiObject)
      .map((object) => Hook.forObject(object))
      .filter((hook): hook is Hook => hook !== undefined),
  );
}

/** The event of the same command that runs before this one (a post-* event's pre-* event). */
const RUNS_BEFORE_IN_COMMAND: Partial<Record<HookEvent, HookEvent>> = {
  [HookEvent.POST_INSTALL]: HookEvent.PRE_INSTALL,
  [HookEvent.POST_UPGRADE]: HookEvent.PRE_UPGRADE,
  [HookEvent.POST_ROLLBACK]: HookEvent.PRE_ROLLBACK,
  [HookEvent.POST_DELETE]: HookEvent.PRE_DELETE,
};

interface OrderEdge {
  readonly from: Hook;
  readonly to: Hook;
  /** `after`: `to` declared it runs after `from`; `dependsOn`: `to` depends on `from`. */
  readonly relation: 'after' | 'dependsOn';
}

interface HookOrder {
  readonly weights: ReadonlyMap<Hook, number>;
  readonly problems: Array<{ constructPath: string; message: string }>;
}

/**
 * The weights of a chart's hooks once `after` is used. Every edge (`to` runs after `from`) gets
 * `weight(from) < weight(to)`, so Helm's order (weight, then name) follows it at every shared
 * event. In an order where every hook comes after those it needs: a hook no other hook depends on
 * keeps its given weight (checked to be above those it runs after), or gets the lowest weight that
 * is 0 or more and above them; then, from the last, a hook others depend on gets the highest weight
 * below every hook after it (and not above its given one), checked to be above those it runs after.
 */
function hookOrder(chart: Chart): HookOrder {
  const stamp = `${hookState(chart.node.root)?.changes ?? 0}:${chart.node.findAll().length}`;
  const state = hookState(chart, true);
  if (state.orderCache?.stamp === stamp) return state.orderCache.order;
  const order = solveHookOrder(chart);
  state.orderCache = { stamp, order };
  return order;
}

/** Solves the hook order of a chart (see `hookOrder`). */
function solveHookOrder(chart: Chart): HookOrder {
  const problems: Array<{ constructPath: string; message: string }> = [];
  const all = unique(
    chart.node
      .findAll()
      .filter((c) => Chart.of(c) === chart)
      .map((c) => hooks.get(c))
      .filter((hook): hook is Hook => hook !== undefined),
  );
  const preds = new Map<Hook, OrderEdge[]>(all.map((h) => [h, []]));
  const succs = new Map<Hook, OrderEdge[]>(all.map((h) => [h, []]));
  const addEdge = (edge: OrderEdge): void => {
    if (!preds.has(edge.to) || !preds.has(edge.from) || preds.get(edge.to)!.some((e) => e.from === edge.from)) return;
    preds.get(edge.to)!.push(edge);
    succs.get(edge.from)!.push(edge);
  };
  const path = (hook: Hook) => hook.construct.node.path;
  for (const hook of all) {
    for (const resource of hookState(hook.construct)?.dependencies ?? []) {
      const dependency = hooks.get(resource);
      if (dependency) addEdge({ from: dependency, to: hook, relation: 'dependsOn' });
    }
    for (const target of hookState(hook.construct)?.after ?? []) {
      const found = hooksIn(target).filter((other) => other !== hook);
      if (found.length === 0) {
        problems.push({
          constructPath: path(hook),
          message: `runs after ${target.node.path}, which holds no hook object: after takes hooks (a HookJob, a construct given to Hook.apply); to make a resource a hook, use dependsOn`,
        });
      }
      for (const other of found) {
        const missing = hook.events.filter((event) => {
          const before = RUNS_BEFORE_IN_COMMAND[event];
          return !other.runsAt(event) && !(before && other.runsAt(before));
        });
        if (missing.length) {
          problems.push({
            constructPath: path(hook),
            message: `runs after ${path(other)}, which does not run at ${missing.join(', ')} (it runs at ${other.events.join(', ')}), nor earlier in that command: give ${path(other)} those events, or run ${path(hook)} only at events it shares with it`,
          });
        }
        if (hook.events.some((event) => other.runsAt(event))) addEdge({ from: other, to: hook, relation: 'after' });
      }
    }
  }

  const order: Hook[] = [];
  const state = new Map<Hook, 'open' | 'done'>();
  const stack: OrderEdge[] = [];
  let cycle: OrderEdge[] | undefined;
  const visit = (hook: Hook): void => {
    state.set(hook, 'open');
    for (const edge of preds.get(hook)!) {
      if (cycle) return;
      if (state.get(edge.from) === 'open') {
        const start = stack.findIndex((e) => e.to === edge.from);
        cycle = [...(start < 0 ? [] : stack.slice(start)), edge].reverse();
        return;
      }
      if (!state.has(edge.from)) {
        stack.push(edge);
        visit(edge.from);
        stack.pop();
      }
    }
    state.set(hook, 'done');
    order.push(hook);
  };
  for (const hook of all) if (!state.has(hook) && !cycle) visit(hook);
  if (cycle) {
    const steps = cycle.map((e) => `${path(e.to)} ${e.relation === 'after' ? 'runs after' : 'depends on'} ${path(e.from)}`);
    problems.push({
      constructPath: path(cycle[0].to),
      message: `hooks would have to run in a cycle: ${steps.join(', ')}; remove one of these after/dependsOn declarations`,
    });
    return { weights: new Map(), problems };
  }

  const isDependency = (hook: Hook) => (dependents.get(hook.construct) ?? []).length > 0;
  const floor = new Map<Hook, number>();
  for (const hook of order) {
    const lowest = Math.max(-Infinity, ...preds.get(hook)!.map((e) => floor.get(e.from)! + 1));
    const given = hook.givenWeight;
    if (isDependency(hook)) floor.set(hook, lowest);
    else if (given === undefined) floor.set(hook, Math.max(0, lowest));
    else {
      for (const edge of preds.get(hook)!) {
        const needed = floor.get(edge.from)!;
        if (given <= needed) {
          problems.push({
            constructPath: path(hook),
            message: `has weight ${given}, but it ${edge.relation === 'after' ? 'runs after' : 'depends on'} ${path(edge.from)}, ${isDependency(edge.from) ? `which needs a weight of at least ${needed} (it runs after other hooks)` : `of weight ${needed}`}: give ${path(hook)} a weight above ${needed}, or none (then it is derived)`,
          });
        }
      }
      floor.set(hook, given);
    }
  }
  const weights = new Map<Hook, number>();
  for (const hook of [...order].reverse()) {
    if (!isDependency(hook)) {
      weights.set(hook, floor.get(hook)!);
      continue;
    }
    const below = succs.get(hook)!.map((e) => weights.get(e.to)! - 1);
    const cap = hook.givenWeight ?? (hook.derived ? Infinity : Math.max(0, floor.get(hook)!));
    const weight = Math.min(cap, ...below);
    weights.set(hook, weight);
    const blocking = preds.get(hook)!.find((e) => floor.get(e.from)! >= weight);
    if (blocking) {
      const next = succs.get(hook)!.find((e) => weights.get(e.to)! - 1 === weight);
      problems.push({
        constructPath: path(hook),
        message: `no weight fits: it must run after ${path(blocking.from)} (weight ${floor.get(blocking.from)}${isDependency(blocking.from) ? ' or more' : ''}) and ${next ? `before ${path(next.to)} (weight ${weights.get(next.to)})` : `at its given weight ${weight}`}; change the given weights, or let them be derived`,
      });
    }
  }
  for (const [hook, weight] of weights) {
    try {
      checkHookWeight(weight, path(hook));
    } catch (error) {
      if (!HelmSynthError.isHelmSynthError(error)) throw error;
      problems.push({ constructPath: path(hook), message: `derived hook weight ${weight} is outside Helm's range (a 32-bit integer)` });
    }
  }
  return { weights, problems };
}
