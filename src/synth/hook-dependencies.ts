import { ApiObject } from 'cdk8s';
import { NameToken } from '../chart/resource-naming';
import { HookDeletePolicy, HookEvent } from '../hooks/hook-types';
import { describeText, wholeToken } from '../tokens/token';
import { ChartObject, Problem } from './collect';
import { jsonAt, POD_SPEC_PATHS } from '../chart/kinds';

/** A resource a pod reads by name, and where its spec names it. */
export interface PodReference {
  /** Kind of the resource read. */
  readonly kind: 'Secret' | 'ConfigMap' | 'ServiceAccount' | 'PersistentVolumeClaim';
  /** The name as written in the JSON (a name token, or a literal). */
  readonly name: string;
  /** JSON path of the field, e.g. `spec.template.spec.containers[0].env[1] (DB_PASSWORD).valueFrom.secretKeyRef`. */
  readonly field: string;
  /** The reference is `optional: true`: the pod starts without the resource. */
  readonly optional: boolean;
}

/** A resource of the chart a hook reads. */
export interface HookDependency {
  /** The object read. */
  readonly resource: ChartObject;
  /** How the hook's pod reads it. */
  readonly reference: PodReference;
}

/** Every Secret, ConfigMap, ServiceAccount and PVC the pod of an object reads by name. */
export function podReferences(json: Record<string, any>): PodReference[] {
  const path = POD_SPEC_PATHS[String(json.kind)];
  const spec = path && (jsonAt(json, path) as Record<string, any> | undefined);
  if (!spec || typeof spec !== 'object') return [];
  const base = path.join('.');
  const found: PodReference[] = [];
  const add = (kind: PodReference['kind'], name: unknown, field: string, optional?: unknown): void => {
    if (typeof name === 'string' && name !== '') found.push({ kind, name, field: `${base}.${field}`, optional: optional === true });
  };
  add(
    'ServiceAccount',
    spec.serviceAccountName ?? spec.serviceAccount,
    spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount',
  );
  list(spec.imagePullSecrets).forEach((s, i) => add('Secret', s?.name, `imagePullSecrets[${i}]`));
  for (const group of ['initContainers', 'containers', 'ephemeralContainers']) {
    list(spec[group]).forEach((container, c) => {
      const at = `${group}[${c}]`;
      list(container?.env).forEach((env, i) => {
        const from = env?.valueFrom;
        const label = `${at}.env[${i}] (${shownName(env?.name)})`;
        add('Secret', from?.secretKeyRef?.name, `${label}.valueFrom.secretKeyRef`, from?.secretKeyRef?.optional);
        add('ConfigMap', from?.configMapKeyRef?.name, `${label}.valueFrom.configMapKeyRef`, from?.configMapKeyRef?.optional);
      });
      list(container?.envFrom).forEach((env, i) => {
        add('Secret', env?.secretRef?.name, `${at}.envFrom[${i}].secretRef`, env?.secretRef?.optional);
        add('ConfigMap', env?.configMapRef?.name, `${at}.envFrom[${i}].configMapRef`, env?.configMapRef?.optional);
      });
    });
  }
  list(spec.volumes).forEach((volume, v) => {
    const at = `volumes[${v}] (${shownName(volume?.name)})`;
    add('Secret', volume?.secret?.secretName, `${at}.secret`, volume?.secret?.optional);
    add('ConfigMap', volume?.configMap?.name, `${at}.configMap`, volume?.configMap?.optional);
    add('PersistentVolumeClaim', volume?.persistentVolumeClaim?.claimName, `${at}.persistentVolumeClaim`);
    list(volume?.projected?.sources).forEach((source, s) => {
      add('Secret', source?.secret?.name, `${at}.projected.sources[${s}].secret`, source?.secret?.optional);
      add('ConfigMap', source?.configMap?.name, `${at}.projected.sources[${s}].configMap`, source?.configMap?.optional);
    });
  });
  return found;
}

/** What each object's pod reads of its chart, by object. */
export type PodReads = ReadonlyMap<ChartObject, readonly HookDependency[]>;

/** The chart objects each object's pod reads: references resolved through name tokens (or literal fixed names), once per chart. */
export function podReads(objects: readonly ChartObject[]): PodReads {
  const byObject = new Map<ApiObject, ChartObject>(objects.map((o) => [o.object, o]));
  const byLiteral = new Map<string, ChartObject>();
  for (const other of objects) if (other.settings.fixedName) byLiteral.set(`${other.kind}\u0000${other.object.name}`, other);
  const reads = new Map<ChartObject, HookDependency[]>();
  for (const entry of objects) {
    const result: HookDependency[] = [];
    for (const reference of podReferences(entry.json)) {
      const token = wholeToken(reference.name);
      const resource = NameToken.isNameToken(token)
        ? byObject.get(token.object)
        : byLiteral.get(`${reference.kind}\u0000${reference.name}`);
      if (resource && resource !== entry && resource.kind === reference.kind) result.push({ resource, reference });
    }
    reads.set(entry, result);
  }
  return reads;
}

/**
 * Finds pods that read a resource of the chart that may not be rendered when they are (a
 * condition theirs does not imply), and hooks that read a resource that cannot exist yet at the
 * hook's events; warns where a dependency made a normal resource a hook.
 */
export function checkHookDependencies(objects: readonly ChartObject[], reads: PodReads, problems: Problem[], warnings: Problem[]): void {
  for (const entry of objects) {
    for (const dependency of reads.get(entry) ?? []) {
      const gated = gatedReadProblem(entry, dependency);
      if (gated) {
        problems.push(gated);
        continue;
      }
      if (!entry.hook) continue;
      for (const event of entry.hook.events) {
        const problem = missingAt(event, entry, dependency.resource);
        if (problem) {
          problems.push(dependencyProblem(entry, dependency, event, problem));
          break;
        }
      }
    }
  }
  for (const entry of objects) {
    if (entry.hook?.derived && (entry.kind === 'Secret' || entry.kind === 'ConfigMap') && !entry.hook.ownedOnly) {
      warnings.push({
        constructPath: entry.owner.node.path,
        message: `${entry.kind} is a hook (${entry.hook.events.join(',')}) because ${entry.hook.dependents.map((d) => d.construct.node.path).join(', ')} depends on it: it is not part of the release, so Helm deletes and recreates it before each of those events (before-hook-creation), and helm uninstall leaves it behind. Pods of normal workloads that read it see it replaced on upgrade. Use a Secret created outside the chart (existingSecret) if that is not wanted.`,
      });
    }
  }
}

/**
 * A pod that reads (not `optional`) a resource switched off by a condition its own render
 * condition does not imply: Kubernetes would keep it waiting for the missing object.
 */
function gatedReadProblem(entry: ChartObject, dependency: HookDependency): Problem | undefined {
  const resourceCondition = dependency.resource.settings.condition;
  const readerCondition = entry.settings.renderCondition;
  if (!resourceCondition || dependency.reference.optional || readerCondition?.implies(resourceCondition)) return undefined;
  const reader = `the ${entry.hook ? 'hook ' : ''}${entry.kind} ${entry.owner.node.path}`;
  const resource = `${dependency.reference.kind} ${dependency.resource.owner.node.path}`;
  const rendered = readerCondition ? `when ${readerCondition.description}` : 'always';
  if (entry.hook) {
    return {
      constructPath: entry.hook.construct.node.path,
      message: `${reader} reads ${resource} (${dependency.reference.field}), which is only rendered when ${resourceCondition.description}, while the hook runs ${rendered}: the pod would wait for a missing object until the hook times out. Gate the hook by the same condition (Template.of(hook).enableWhen(...) or enableWith(resource)), or render the resource always.`,
    };
  }
  const kind = dependency.reference.kind;
  const waits =
    kind === 'ServiceAccount'
      ? 'its pods would not be created (serviceaccount not found)'
      : kind === 'PersistentVolumeClaim'
        ? 'its pods would stay Pending'
        : `its pods would wait for the missing object (${dependency.reference.field.includes('.volumes[') ? 'ContainerCreating' : 'CreateContainerConfigError'})`;
  const optional =
    kind === 'Secret' || kind === 'ConfigMap' ? ', or mark the reference optional (optional: true) if the pods work without it' : '';
  return {
    constructPath: entry.owner.node.path,
    message: `${reader} reads ${resource} (${dependency.reference.field}), which is only rendered when ${resourceCondition.description}, while the ${entry.kind} is rendered ${rendered}: ${waits}. Gate the ${entry.kind} by the same condition (Template.of(workload).enableWhen(...) or enableWith(resource)), or render the resource always${optional}.`,
  };
}

function missingAt(event: HookEvent, hook: ChartObject, resource: ChartObject): string | undefined {
  const other = resource.hook;
  if (!other) return NORMAL_RESOURCE_MISSING[event];
  if (other.runsAt(event)) {
    return other.weight < hook.hook!.weight
      ? undefined
      : `a ${event} hook with weight ${other.weight}, not lower than this hook's weight ${hook.hook!.weight}, so it is not created before this hook runs`;
  }
  const stays = !other.deletePolicies.includes(HookDeletePolicy.HOOK_SUCCEEDED);
  const ranBefore = (earlier: HookEvent): boolean => stays && other.runsAt(earlier);
  const persists =
    (ranBefore(HookEvent.PRE_INSTALL) || ranBefore(HookEvent.POST_INSTALL)) &&
    (ranBefore(HookEvent.PRE_UPGRADE) || ranBefore(HookEvent.POST_UPGRADE));
  const exists: Record<HookEvent, boolean> = {
    [HookEvent.PRE_INSTALL]: false,
    [HookEvent.PRE_UPGRADE]: false,
    [HookEvent.POST_INSTALL]: ranBefore(HookEvent.PRE_INSTALL),
    [HookEvent.POST_UPGRADE]: ranBefore(HookEvent.PRE_UPGRADE),
    [HookEvent.POST_ROLLBACK]: ranBefore(HookEvent.PRE_ROLLBACK) || persists,
    [HookEvent.POST_DELETE]: ranBefore(HookEvent.PRE_DELETE) || persists,
    [HookEvent.PRE_ROLLBACK]: persists,
    [HookEvent.PRE_DELETE]: persists,
    [HookEvent.TEST]: persists,
  };
  if (exists[event]) return undefined;
  return `a hook that does not run at ${event} (it runs at ${other.events.join(', ')}${stays ? '' : ' and is deleted once it succeeded'}), so it may be missing or stale when this hook runs`;
}

const NORMAL_RESOURCE_MISSING: Partial<Record<HookEvent, string>> = {
  [HookEvent.PRE_INSTALL]:
    'a normal resource of the chart: Helm creates normal resources only after the pre-install hooks, so the pod would wait (CreateContainerConfigError, Pending) until the hook times out',
  [HookEvent.PRE_UPGRADE]:
    "a normal resource of the chart: Helm applies normal resources only after the pre-upgrade hooks, so the hook would read the previous revision's object, or none when this revision adds it",
  [HookEvent.POST_DELETE]: 'a normal resource of the chart: helm uninstall deletes normal resources before the post-delete hooks run',
};

const INSTEAD: Partial<Record<HookEvent, HookEvent>> = {
  [HookEvent.PRE_INSTALL]: HookEvent.POST_INSTALL,
  [HookEvent.PRE_UPGRADE]: HookEvent.POST_UPGRADE,
  [HookEvent.POST_DELETE]: HookEvent.PRE_DELETE,
};

function dependencyProblem(entry: ChartObject, dependency: HookDependency, event: HookEvent, problem: string): Problem {
  const hookPath = entry.hook!.construct.node.path;
  const { resource, reference } = dependency;
  const resourcePath = resource.owner.node.path;
  const instead = INSTEAD[event] ? `; or run the hook at ${INSTEAD[event]} instead` : '';
  return {
    constructPath: hookPath,
    message: [
      `the ${event} hook ${entry.kind} ${entry.owner.node.path} reads ${reference.kind} ${resourcePath} (${reference.field}),`,
      `which is ${problem}.`,
      `Fix: declare the dependency, Hook.find(hook).dependsOn(resource) with hook ${hookPath} and resource ${resourcePath} (on a HookJob: addDependency(resource)),`,
      `which makes ${resourcePath} a hook of the same events, install and upgrade both, with a lower weight and before-hook-creation${instead};`,
      `or read a ${reference.kind} created outside the chart.`,
    ].join(' '),
  };
}

/** A name as a message shows it: value tokens (a name cdk8s-plus derived from a resource's name) as `${...}`. */
function shownName(name: unknown): string {
  return typeof name === 'string' ? (JSON.parse(describeText(name)) as string) : String(name);
}

function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}
