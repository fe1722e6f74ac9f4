import { Hook } from '../hooks/hook';
import { HookDeletePolicy, HookEvent } from '../hooks/hook-types';
import { literalIdText } from '../tokens/token';

/** What the plan needs of a synthesized object (synthesis's `ChartObject` has all of it). */
export interface PlanObject {
  /** Kubernetes kind. */
  readonly kind: string;
  /** Name suffix (`''` for the bare full name). */
  readonly suffix: string;
  /** Template file. */
  readonly file: string;
  /** The construct users name for it. */
  readonly owner: { readonly node: { readonly path: string } };
  /** Its hook, if any. */
  readonly hook?: Hook;
  /** The condition that renders it, if any. */
  readonly settings: { readonly renderCondition?: { readonly description: string } };
  /** Its JSON (annotations such as `helm.sh/resource-policy`). */
  readonly json: { readonly metadata?: { readonly annotations?: Readonly<Record<string, unknown>> } };
}

/**
 * The order in which Helm creates kinds (`releaseutil.InstallOrder`; PriorityClass leads since
 * Helm 3.13). Unknown kinds come last, sorted by kind.
 */
export const HELM_INSTALL_ORDER: readonly string[] = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

/**
 * The order in which `helm uninstall` deletes kinds (`releaseutil.UninstallOrder`): the install
 * order reversed, except that Services go right after Ingresses, before the workloads.
 */
export const HELM_UNINSTALL_ORDER: readonly string[] = [
  'APIService',
  'Ingress',
  'IngressClass',
  'Service',
  'CronJob',
  'Job',
  'StatefulSet',
  'HorizontalPodAutoscaler',
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'Pod',
  'DaemonSet',
  'RoleBindingList',
  'RoleBinding',
  'RoleList',
  'Role',
  'ClusterRoleBindingList',
  'ClusterRoleBinding',
  'ClusterRoleList',
  'ClusterRole',
  'CustomResourceDefinition',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
  'ConfigMap',
  'SecretList',
  'Secret',
  'ServiceAccount',
  'PodDisruptionBudget',
  'PodSecurityPolicy',
  'LimitRange',
  'ResourceQuota',
  'NetworkPolicy',
  'Namespace',
  'PriorityClass',
];

/** The Helm commands the plan covers. */
export enum LifecycleOperation {
  /** `helm install`. */
  INSTALL = 'install',
  /** `helm upgrade`. */
  UPGRADE = 'upgrade',
  /** `helm rollback`. */
  ROLLBACK = 'rollback',
  /** `helm uninstall`. */
  UNINSTALL = 'uninstall',
  /** `helm test`. */
  TEST = 'test',
}

/** An object of the chart as the plan names it. */
export interface PlannedObject {
  /** Kubernetes kind. */
  readonly kind: string;
  /** `metadata.name` without the release: `<fullname>` or `<fullname>-<suffix>`. */
  readonly name: string;
  /** Construct path of the resource that makes it. */
  readonly construct: string;
  /** Template file. */
  readonly file: string;
  /** The condition that gates it (`Template.enableWhen`), when it is conditional. */
  readonly onlyWhen?: string;
}

/** One hook object as Helm runs it at one event. */
export interface PlannedHook extends PlannedObject {
  /** Its weight. */
  readonly weight: number;
  /** What Helm waits for once it is created: a Job to be Complete, a Pod to have Succeeded; other kinds are ready once created. */
  readonly waitsFor: 'Complete' | 'Succeeded' | 'created';
  /** Its delete policies. */
  readonly deletePolicies: readonly HookDeletePolicy[];
}

/** Hooks of one event, in the order Helm runs them. */
export interface HookStep {
  /** The kind of step. */
  readonly step: 'hooks';
  /** The hook event. */
  readonly event: HookEvent;
  /** The hooks of the event, in the order Helm runs them. */
  readonly hooks: readonly PlannedHook[];
  /** Deleted once every hook of the event has succeeded (`hook-succeeded`), in this order (the reverse of the run). */
  readonly deletedAfterSuccess: readonly PlannedObject[];
  /** Deleted right away if it is the one that fails (`hook-failed`); the command then stops. */
  readonly deletedIfFailed: readonly PlannedObject[];
  /** Things to know about this event's hooks. */
  readonly notes: readonly string[];
}

/** Normal resources applied (install, upgrade, rollback) or deleted (uninstall), in Helm's kind order. */
export interface ResourceStep {
  /** Applied or deleted. */
  readonly step: 'apply' | 'delete';
  /** The objects, in Helm's kind order. */
  readonly objects: readonly PlannedObject[];
  /** Normal resources `helm uninstall` leaves (`helm.sh/resource-policy: keep`). */
  readonly kept: readonly PlannedObject[];
  /** Things to know about this step. */
  readonly notes: readonly string[];
}

/** What one Helm command does, step by step. */
export interface OperationPlan {
  /** The operation. */
  readonly operation: LifecycleOperation;
  /** The command, e.g. `helm install`. */
  readonly command: string;
  /** What the command does, in order. */
  readonly steps: ReadonlyArray<HookStep | ResourceStep>;
  /** Hook objects still in the cluster once the command has succeeded (hooks are not part of the release). */
  readonly leftInCluster: readonly PlannedObject[];
}

/** The sequence Helm 3 executes for a chart, command by command. */
export interface LifecyclePlan {
  /** The chart name. */
  readonly chart: string;
  /** The rules the plan follows, in words. */
  readonly rules: readonly string[];
  /** Each command's plan. */
  readonly operations: readonly OperationPlan[];
}

const RULES = [
  'Hooks of one event run one at a time, ordered by weight, then by name (Helm 3 sorts hooks by kind first and then stable-sorts by weight and name, so kind order only decides between equal names).',
  'The name Helm sorts by is the rendered metadata.name; the plan shows it without the release as <fullname>-<suffix>, which sorts the same as long as no name is cut to fit 63 characters (long release names).',
  'Helm waits up to --timeout (5m by default) for a Job hook to be Complete and for a Pod hook to have Succeeded; other kinds count as ready once created.',
  'A hook that fails stops the command: it is deleted if it has hook-failed, later hooks and steps do not run, and no hook-succeeded deletion happens.',
  "before-hook-creation (Helm's default) deletes the previous object of a hook, and waits until it is gone, just before creating it again.",
  "Hook objects are not part of the release: helm uninstall does not delete them; only their delete policies (or a Job's ttlSecondsAfterFinished) do.",
  'Objects marked "only when" exist only when that boolean value is true; --no-hooks skips every hook.',
];

/** Builds the plan of a chart from its synthesized objects. */
export function lifecyclePlan(chart: string, objects: readonly PlanObject[]): LifecyclePlan {
  const hooks = objects.filter((o) => o.hook && !isCrd(o));
  const normal = objects.filter((o) => !o.hook && !isCrd(o));
  const keep = (o: PlanObject) => o.json.metadata?.annotations?.['helm.sh/resource-policy'] === 'keep';
  const events = (...list: HookEvent[]) => list.map((event) => hookStep(event, hooks));
  const leftAfter = (steps: ReadonlyArray<HookStep | ResourceStep>): PlannedObject[] =>
    unique(
      steps.flatMap((s) => (s.step === 'hooks' ? s.hooks : [])).filter((h) => !h.deletePolicies.includes(HookDeletePolicy.HOOK_SUCCEEDED)),
    ).map(plainObject);

  const operation = (
    op: LifecycleOperation,
    command: string,
    steps: Array<HookStep | ResourceStep>,
    left = leftAfter(steps),
  ): OperationPlan => ({ operation: op, command, steps, leftInCluster: left });
  const applied = (notes: string[]): ResourceStep => ({
    step: 'apply',
    objects: sortByKind(normal, HELM_INSTALL_ORDER).map(plannedObject),
    kept: [],
    notes,
  });
  const [preInstall, postInstall, preUpgrade, postUpgrade, preRollback, postRollback, preDelete, postDelete, test] = events(
    HookEvent.PRE_INSTALL,
    HookEvent.POST_INSTALL,
    HookEvent.PRE_UPGRADE,
    HookEvent.POST_UPGRADE,
    HookEvent.PRE_ROLLBACK,
    HookEvent.POST_ROLLBACK,
    HookEvent.PRE_DELETE,
    HookEvent.POST_DELETE,
    HookEvent.TEST,
  );
  const noWait =
    'Helm does not wait for them unless --wait (or --atomic, in Helm 4 --rollback-on-failure) is given: the post hooks start as soon as they are sent.';
  const uninstallSteps: Array<HookStep | ResourceStep> = [
    preDelete,
    {
      step: 'delete',
      objects: sortByKind(
        normal.filter((o) => !keep(o)),
        HELM_UNINSTALL_ORDER,
      ).map(plannedObject),
      kept: sortByKind(normal.filter(keep), HELM_UNINSTALL_ORDER).map(plannedObject),
      notes: [
        "Deleted kind by kind in Helm's uninstall order; objects of one kind are deleted together; Helm waits for them to be gone only with --wait.",
      ],
    },
    postDelete,
  ];

  return {
    chart,
    rules: RULES,
    operations: [
      operation(LifecycleOperation.INSTALL, 'helm install (or helm upgrade --install of a new release)', [
        preInstall,
        applied([`Created kind by kind in Helm's install order; objects of one kind are sent together. ${noWait}`]),
        postInstall,
      ]),
      operation(LifecycleOperation.UPGRADE, 'helm upgrade', [
        preUpgrade,
        applied([
          `Created or patched kind by kind in Helm's install order; then objects of the previous revision that this one no longer has are deleted. ${noWait}`,
        ]),
        postUpgrade,
      ]),
      operation(LifecycleOperation.ROLLBACK, 'helm rollback', [
        preRollback,
        applied(["Helm applies the revision rolled back to, and runs that revision's hooks; this plan assumes it is this chart.", noWait]),
        postRollback,
      ]),
      operation(
        LifecycleOperation.UNINSTALL,
        'helm uninstall',
        uninstallSteps,
        unique([
          ...hooks.filter((o) => !o.hook!.deletePolicies.includes(HookDeletePolicy.HOOK_SUCCEEDED)).map(plannedObject),
          ...sortByKind(normal.filter(keep), HELM_UNINSTALL_ORDER).map(plannedObject),
        ]),
      ),
      operation(LifecycleOperation.TEST, 'helm test', [test]),
    ],
  };
}

/** Hook objects in the order Helm 3 runs them: by weight, then name; kind (install order) and file only between equal names. */
export function helmHookOrder<T extends { readonly kind: string; readonly name: string; readonly weight: number; readonly file: string }>(
  hooks: readonly T[],
): T[] {
  return sortByKind(hooks, HELM_INSTALL_ORDER).sort((a, b) => a.weight - b.weight || compareText(a.name, b.name));
}

/** The order the docs describe (weight, kind, name), which Helm 3 does not follow. */
export function documentedHookOrder<
  T extends { readonly kind: string; readonly name: string; readonly weight: number; readonly file: string },
>(hooks: readonly T[]): T[] {
  return [...hooks].sort(
    (a, b) =>
      a.weight - b.weight || compareKinds(a.kind, b.kind, HELM_INSTALL_ORDER) || compareText(a.name, b.name) || compareText(a.file, b.file),
  );
}

/** Objects sorted as Helm sorts manifests: by kind in the given order (unknown kinds last, by kind), keeping file order within a kind. */
export function sortByKind<T extends { readonly kind: string; readonly file: string }>(
  objects: readonly T[],
  order: readonly string[],
): T[] {
  return [...objects].sort((a, b) => compareText(a.file, b.file)).sort((a, b) => compareKinds(a.kind, b.kind, order));
}

function hookStep(event: HookEvent, hooks: readonly PlanObject[]): HookStep {
  const planned = hooks.filter((o) => o.hook!.runsAt(event)).map(plannedHook);
  const ordered = helmHookOrder(planned);
  const notes: string[] = [];
  const documented = documentedHookOrder(planned);
  ordered.forEach((first, i) =>
    ordered.slice(i + 1).forEach((second) => {
      if (documented.indexOf(first) > documented.indexOf(second) && (first.waitsFor !== 'created' || second.waitsFor !== 'created')) {
        notes.push(
          `${label(first)} runs before ${label(second)} (equal weights, name order); Helm's docs describe weight, kind, name, which would run them the other way round: give them different weights so that both agree.`,
        );
      }
    }),
  );
  for (const hook of ordered) {
    if (!hook.deletePolicies.includes(HookDeletePolicy.BEFORE_HOOK_CREATION)) {
      notes.push(
        `${label(hook)} has no before-hook-creation: if the previous one is still there (a failed run), creating it fails with "already exists".`,
      );
    }
  }
  return {
    step: 'hooks',
    event,
    hooks: ordered,
    deletedAfterSuccess: ordered
      .filter((h) => h.deletePolicies.includes(HookDeletePolicy.HOOK_SUCCEEDED))
      .reverse()
      .map(plainObject),
    deletedIfFailed: ordered.filter((h) => h.deletePolicies.includes(HookDeletePolicy.HOOK_FAILED)).map(plainObject),
    notes,
  };
}

function plannedObject(entry: PlanObject): PlannedObject {
  const onlyWhen = entry.settings.renderCondition?.description;
  return {
    kind: entry.kind,
    name: entry.suffix ? `<fullname>-${entry.suffix}` : '<fullname>',
    construct: literalIdText(entry.owner.node.path),
    file: entry.file,
    ...(onlyWhen !== undefined && { onlyWhen }),
  };
}

function plannedHook(entry: PlanObject): PlannedHook {
  const hook = entry.hook!;
  return {
    ...plannedObject(entry),
    weight: hook.weight,
    waitsFor: entry.kind === 'Job' ? 'Complete' : entry.kind === 'Pod' ? 'Succeeded' : 'created',
    deletePolicies: hook.deletePolicies,
  };
}

function plainObject(hook: PlannedObject): PlannedObject {
  const { kind, name, construct, file, onlyWhen } = hook;
  return { kind, name, construct, file, ...(onlyWhen !== undefined && { onlyWhen }) };
}

function unique(objects: PlannedObject[]): PlannedObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => !seen.has(o.file) && seen.add(o.file));
}

function label(object: PlannedObject): string {
  return `${object.kind} ${object.name}`;
}

function compareKinds(a: string, b: string, order: readonly string[]): number {
  const i = order.indexOf(a);
  const j = order.indexOf(b);
  if (i < 0 && j < 0) return compareText(a, b);
  if (i < 0) return 1;
  if (j < 0) return -1;
  return i - j;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** CustomResourceDefinitions in crds/ are installed before everything else on install only; they are not part of the plan's steps. */
function isCrd(object: PlanObject): boolean {
  return object.file.startsWith('crds/');
}
