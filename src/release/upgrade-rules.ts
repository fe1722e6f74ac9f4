import { isDeepStrictEqual } from 'node:util';
import { RenderedDocument } from '../helm';
import { byteOrder } from './chart-content';
import { IMMUTABLE_FIELD_RULES, POD_MUTABLE_CONTAINER_FIELDS, POD_MUTABLE_SPEC_FIELDS } from './immutable-fields';

/** How serious an upgrade finding is: errors make `check-upgrade` exit non-zero. */
export enum FindingSeverity {
  /** `helm upgrade` fails, or deletes something it should not. */
  ERROR = 'error',
  /** The upgrade works but does something easy to miss (hooks). */
  WARNING = 'warning',
  /** An error the team acknowledged (see `UpgradeAcknowledgement`): printed, not failing. */
  NOTE = 'note',
}

/** One thing an upgrade from the baseline to the new chart would break or change. */
export interface UpgradeFinding {
  /** Error or warning. */
  readonly severity: FindingSeverity;
  /** The object, as `Kind namespace/name` of the baseline render. */
  readonly object: string;
  /** The template it came from (`<chart>/templates/<file>`), when Helm said. */
  readonly source?: string;
  /** The field, e.g. `spec.selector.matchLabels.app`; undefined for the whole object. */
  readonly path?: string;
  /** The baseline's value (undefined when absent). */
  readonly before?: unknown;
  /** The new chart's value (undefined when absent). */
  readonly after?: unknown;
  /** What goes wrong and what to do. */
  readonly message: string;
}

/** A hook's settings as Helm 3 reads its annotations. */
interface HookSettings {
  readonly events: readonly string[];
  readonly weight: number;
  readonly deletePolicies: readonly string[];
}

interface ReleaseObject {
  readonly key: string;
  readonly kind: string;
  readonly label: string;
  readonly source?: string;
  readonly manifest: Record<string, any>;
  readonly hook?: HookSettings;
}

interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

const HOOK = 'helm.sh/hook';
const HOOK_WEIGHT = 'helm.sh/hook-weight';
const HOOK_DELETE_POLICY = 'helm.sh/hook-delete-policy';
const RESOURCE_POLICY = 'helm.sh/resource-policy';
const BEFORE_HOOK_CREATION = 'before-hook-creation';
const HOOK_SUCCEEDED = 'hook-succeeded';
const UPGRADE_EVENTS = ['pre-upgrade', 'post-upgrade'];
/** Minimum share of equal fields (Jaccard, names and metadata left out) for a removed and an added object to count as a rename. */
const RENAME_SIMILARITY = 0.5;
/** The StatefulSet spec fields Kubernetes lets an update change; every other spec field is immutable. */
const STATEFULSET_MUTABLE = new Set([
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
]);
const IMMUTABLE = 'helm upgrade fails ("field is immutable")';

/**
 * Compares two renders of a release (the baseline and the new chart, same values) the way
 * `helm upgrade` will apply them. Objects match by API group, kind, namespace and name.
 *
 * Errors: immutable-field changes of release objects (the table of `immutable-fields.ts`:
 * workload selectors, a non-hook Job's template, selector, completionMode, podFailurePolicy and
 * completions, an immutable ConfigMap's or Secret's data, a Secret's type, a binding's roleRef,
 * StorageClass, PriorityClass, PersistentVolume and other kinds' fixed fields; plus StatefulSet spec
 * fields other than replicas/template/updateStrategy/...; a Service's clusterIP, loadBalancerClass
 * and a change to or from ExternalName; a PVC's storageClassName, accessModes, volumeMode, selector,
 * volumeName, data source and a smaller storage request; a bare Pod's spec but its images), removed
 * objects (Helm deletes them) and likely renames (a removed and an added object of one kind with
 * similar specs: Helm deletes and recreates), with the data loss of a PVC or StatefulSet called
 * out; and objects that turn from
 * release objects into hooks or back in a way that fails. Hooks are never patched: Helm deletes
 * (before-hook-creation, the default) and creates them for each event, so their fields may change
 * freely; changes of their events, weights, delete policies and names are warnings.
 *
 * @param namespace the release namespace, for objects rendered without one
 */
export function compareRenders(
  baseline: readonly RenderedDocument[],
  current: readonly RenderedDocument[],
  namespace: string,
): UpgradeFinding[] {
  const before = releaseObjects(baseline, namespace);
  const after = releaseObjects(current, namespace);
  const findings: UpgradeFinding[] = [];
  for (const old of before.values()) {
    const next = after.get(old.key);
    if (next) findings.push(...compareObject(old, next));
  }
  const removed = [...before.values()].filter((old) => !after.has(old.key));
  const added = [...after.values()].filter((next) => !before.has(next.key));
  const renames = pairRenames(removed, added);
  for (const old of removed) findings.push(old.hook ? hookGone(old, renames.get(old.key)) : objectGone(old, renames.get(old.key)));
  return findings.sort((a, b) => byteOrder(a.object, b.object) || byteOrder(a.path ?? '', b.path ?? ''));
}

function releaseObjects(documents: readonly RenderedDocument[], namespace: string): Map<string, ReleaseObject> {
  const objects = new Map<string, ReleaseObject>();
  for (const { object: manifest, source } of documents) {
    const kind = manifest.kind;
    const name = manifest.metadata?.name;
    if (typeof kind !== 'string' || typeof name !== 'string') continue;
    const apiVersion = String(manifest.apiVersion ?? '');
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const ns = typeof manifest.metadata?.namespace === 'string' ? manifest.metadata.namespace : namespace;
    const key = `${group}/${kind}/${ns}/${name}`;
    objects.set(key, { key, kind, label: `${kind} ${ns}/${name}`, source, manifest, hook: hookSettings(manifest) });
  }
  return objects;
}

/**
 * Reads hook annotations like Helm 3: events lower-cased (test-success is test), an unparsable
 * weight is 0, no policy means before-hook-creation.
 */
function hookSettings(manifest: Record<string, any>): HookSettings | undefined {
  const annotations = manifest.metadata?.annotations ?? {};
  const list = (value: unknown): string[] =>
    String(value ?? '')
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean);
  const events = list(annotations[HOOK]).map((event) => (event === 'test-success' ? 'test' : event));
  if (events.length === 0) return undefined;
  const weightText = String(annotations[HOOK_WEIGHT] ?? '0').trim();
  const deletePolicies = list(annotations[HOOK_DELETE_POLICY]);
  return {
    events: [...new Set(events)].sort(),
    weight: /^[+-]?\d+$/.test(weightText) ? Number(weightText) : 0,
    deletePolicies: deletePolicies.length ? [...new Set(deletePolicies)].sort() : [BEFORE_HOOK_CREATION],
  };
}

function compareObject(old: ReleaseObject, next: ReleaseObject): UpgradeFinding[] {
  if (old.hook && next.hook) return hookChanges(old, old.hook, next.hook);
  if (!old.hook && next.hook) return [becomesHook(old, next.hook)];
  if (old.hook && !next.hook) return [becomesReleaseObject(old, old.hook)];
  return immutableChanges(old, next);
}

function immutableChanges(old: ReleaseObject, next: ReleaseObject): UpgradeFinding[] {
  const group = old.key.slice(0, old.key.indexOf('/'));
  const a = old.manifest.spec ?? {};
  const b = next.manifest.spec ?? {};
  const errors = (changes: FieldChange[], message: string): UpgradeFinding[] =>
    changes.map((change) => finding(FindingSeverity.ERROR, old, message, change));
  if (group === 'apps' && old.kind === 'StatefulSet') {
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((field) => !STATEFULSET_MUTABLE.has(field)).sort();
    return errors(
      fields.flatMap((field) => differences(a[field], b[field], `spec.${field}`)),
      'a StatefulSet spec field other than replicas, template, updateStrategy, persistentVolumeClaimRetentionPolicy, minReadySeconds ' +
        'and ordinals is immutable: helm upgrade fails ("Forbidden: updates to statefulset spec ... are forbidden")',
    );
  }
  if (group === '' && old.kind === 'Service') return serviceChanges(old, a, b);
  if (group === '' && old.kind === 'PersistentVolumeClaim') return claimChanges(old, a, b);
  if (group === '' && old.kind === 'Pod') return podChanges(old, a, b);
  return IMMUTABLE_FIELD_RULES.filter(
    (rule) => rule.group === group && rule.kinds.includes(old.kind) && (rule.when?.(old.manifest) ?? true),
  ).flatMap((rule) =>
    errors(
      rule.fields.flatMap((field) => differences(fieldAt(old.manifest, field), fieldAt(next.manifest, field), field)),
      `${rule.reason.replace('{kind}', old.kind)}: ${IMMUTABLE}${rule.fix ? `; ${rule.fix}` : ''}`,
    ),
  );
}

function fieldAt(manifest: Record<string, any>, path: string): unknown {
  return path.split('.').reduce<any>((value, key) => (value && typeof value === 'object' ? value[key] : undefined), manifest);
}

/** A bare Pod (not a hook): only container images, activeDeadlineSeconds, tolerations and schedulingGates may change. */
function podChanges(old: ReleaseObject, a: Record<string, any>, b: Record<string, any>): UpgradeFinding[] {
  const message = `a Pod's spec is immutable except container images, activeDeadlineSeconds, tolerations and schedulingGates: ${IMMUTABLE}; run it from a workload (Deployment, Job) instead`;
  const changes: FieldChange[] = [];
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((field) => !POD_MUTABLE_SPEC_FIELDS.has(field)).sort();
  for (const field of fields) {
    if (field === 'containers' || field === 'initContainers' || field === 'ephemeralContainers') {
      const strip = (list: unknown): unknown =>
        Array.isArray(list)
          ? list.map((container) =>
              Object.fromEntries(Object.entries(container ?? {}).filter(([key]) => !POD_MUTABLE_CONTAINER_FIELDS.has(key))),
            )
          : list;
      changes.push(...differences(strip(a[field]), strip(b[field]), `spec.${field}`));
    } else {
      changes.push(...differences(a[field], b[field], `spec.${field}`));
    }
  }
  return changes.map((change) => finding(FindingSeverity.ERROR, old, message, change));
}

function serviceChanges(old: ReleaseObject, a: Record<string, any>, b: Record<string, any>): UpgradeFinding[] {
  const result: UpgradeFinding[] = [];
  const ip = (value: unknown): unknown => (value === '' ? undefined : value);
  for (const change of differences(ip(a.clusterIP), ip(b.clusterIP), 'spec.clusterIP')) {
    result.push(
      finding(
        FindingSeverity.ERROR,
        old,
        `a Service's clusterIP is immutable once allocated (including None for a headless Service): ${IMMUTABLE}`,
        change,
      ),
    );
  }
  const ips = (value: unknown): unknown => (Array.isArray(value) && value.length === 0 ? undefined : value);
  for (const change of differences(ips(a.clusterIPs), ips(b.clusterIPs), 'spec.clusterIPs')) {
    result.push(finding(FindingSeverity.ERROR, old, `a Service's clusterIPs are immutable once allocated: ${IMMUTABLE}`, change));
  }
  if (a.loadBalancerClass !== undefined) {
    for (const change of differences(a.loadBalancerClass, b.loadBalancerClass, 'spec.loadBalancerClass')) {
      result.push(finding(FindingSeverity.ERROR, old, `a Service's loadBalancerClass cannot change once set: ${IMMUTABLE}`, change));
    }
  }
  if ((a.type === 'ExternalName') !== (b.type === 'ExternalName')) {
    result.push(
      finding(
        FindingSeverity.ERROR,
        old,
        'a Service cannot change type to or from ExternalName in place ' +
          '(the cluster IP is allocated or released): helm upgrade fails; use a new Service name',
        { path: 'spec.type', before: a.type, after: b.type },
      ),
    );
  }
  return result;
}

function claimChanges(old: ReleaseObject, a: Record<string, any>, b: Record<string, any>): UpgradeFinding[] {
  const result: UpgradeFinding[] = [];
  const immutable = (field: string, normalize: (value: unknown) => unknown = (value) => value): void => {
    for (const change of differences(normalize(a[field]), normalize(b[field]), `spec.${field}`)) {
      result.push(
        finding(
          FindingSeverity.ERROR,
          old,
          `a bound PersistentVolumeClaim's ${field} is immutable: helm upgrade fails ("spec is immutable after creation")`,
          change,
        ),
      );
    }
  };
  immutable('storageClassName');
  immutable('accessModes');
  immutable('volumeMode', (value) => value ?? 'Filesystem');
  immutable('selector');
  immutable('dataSource');
  immutable('dataSourceRef');
  immutable('volumeName', (value) => (value === '' ? undefined : value));
  const path = 'spec.resources.requests.storage';
  const sizeBefore = a.resources?.requests?.storage;
  const sizeAfter = b.resources?.requests?.storage;
  if (!isDeepStrictEqual(sizeBefore, sizeAfter)) {
    const x = quantity(sizeBefore);
    const y = quantity(sizeAfter);
    const change = { path, before: sizeBefore, after: sizeAfter };
    if (x !== undefined && y !== undefined && y < x) {
      result.push(
        finding(
          FindingSeverity.ERROR,
          old,
          'a PersistentVolumeClaim cannot shrink: helm upgrade fails ("field can not be less than previous value")',
          change,
        ),
      );
    } else if (x !== undefined && y !== undefined) {
      result.push(
        finding(
          FindingSeverity.WARNING,
          old,
          'a larger storage request works only when the StorageClass has allowVolumeExpansion: true',
          change,
        ),
      );
    } else {
      result.push(
        finding(
          FindingSeverity.ERROR,
          old,
          'the storage request changes and one side is not a quantity: it cannot shrink and may not be removed',
          change,
        ),
      );
    }
  }
  return result;
}

function hookChanges(old: ReleaseObject, a: HookSettings, b: HookSettings): UpgradeFinding[] {
  const result: UpgradeFinding[] = [];
  const annotation = (name: string): string => `metadata.annotations["${name}"]`;
  if (!isDeepStrictEqual(a.events, b.events)) {
    const lost = a.events.filter((event) => !b.events.includes(event));
    result.push(
      finding(FindingSeverity.WARNING, old, `hook events change${lost.length ? `: it no longer runs on ${lost.join(', ')}` : ''}`, {
        path: annotation(HOOK),
        before: a.events.join(','),
        after: b.events.join(','),
      }),
    );
  }
  if (a.weight !== b.weight) {
    result.push(
      finding(FindingSeverity.WARNING, old, 'hook weight changes: it runs at another place among the hooks of its events', {
        path: annotation(HOOK_WEIGHT),
        before: a.weight,
        after: b.weight,
      }),
    );
  }
  if (!isDeepStrictEqual(a.deletePolicies, b.deletePolicies)) {
    result.push(
      finding(FindingSeverity.WARNING, old, 'hook delete policies change: what stays in the cluster after it runs changes', {
        path: annotation(HOOK_DELETE_POLICY),
        before: a.deletePolicies.join(','),
        after: b.deletePolicies.join(','),
      }),
    );
  }
  if (
    b.events.some((event) => UPGRADE_EVENTS.includes(event)) &&
    !b.deletePolicies.includes(BEFORE_HOOK_CREATION) &&
    !a.deletePolicies.includes(HOOK_SUCCEEDED)
  ) {
    result.push(
      finding(
        FindingSeverity.WARNING,
        old,
        `the hook has no ${BEFORE_HOOK_CREATION} policy and its object from an earlier run is not deleted ` +
          `after success (policies ${a.deletePolicies.join(',')}): Helm's create on upgrade fails with "already exists"`,
        { path: annotation(HOOK_DELETE_POLICY), before: a.deletePolicies.join(','), after: b.deletePolicies.join(',') },
      ),
    );
  }
  return result;
}

function becomesHook(old: ReleaseObject, hook: HookSettings): UpgradeFinding {
  const change = { path: `metadata.annotations["${HOOK}"]`, before: undefined, after: hook.events.join(',') };
  if (hook.events.includes('pre-upgrade')) {
    return finding(
      FindingSeverity.ERROR,
      old,
      'a release object becomes a pre-upgrade hook: Helm creates the hook before the upgrade deletes the ' +
        'release object of the same name, so the hook fails with "already exists"',
      change,
    );
  }
  if (hook.events.includes('post-upgrade')) {
    return finding(
      FindingSeverity.WARNING,
      old,
      'a release object becomes a post-upgrade hook: the upgrade deletes it and the hook creates a new ' +
        'one (its data and identity are not kept)',
      change,
    );
  }
  return finding(
    FindingSeverity.ERROR,
    old,
    'a release object becomes a hook that does not run on upgrade: the upgrade deletes it and nothing ' + 'creates it again',
    change,
  );
}

function becomesReleaseObject(old: ReleaseObject, hook: HookSettings): UpgradeFinding {
  const change = { path: `metadata.annotations["${HOOK}"]`, before: hook.events.join(','), after: undefined };
  if (hook.deletePolicies.includes(HOOK_SUCCEEDED)) {
    return finding(
      FindingSeverity.WARNING,
      old,
      'a hook becomes a release object: fine when its last run succeeded (hook-succeeded deleted it); ' +
        'if the object is still there the upgrade fails ("exists and cannot be imported into the current release")',
      change,
    );
  }
  return finding(
    FindingSeverity.ERROR,
    old,
    `a hook becomes a release object, and its delete policies (${hook.deletePolicies.join(',')}) ` +
      'leave the hook object in the cluster: helm upgrade fails ("exists and cannot be imported into the current release"); ' +
      'delete it before upgrading',
    change,
  );
}

function objectGone(old: ReleaseObject, renamedTo: ReleaseObject | undefined): UpgradeFinding {
  const change = renamedTo
    ? { path: 'metadata.name', before: old.manifest.metadata.name, after: renamedTo.manifest.metadata.name }
    : undefined;
  if (old.manifest.metadata?.annotations?.[RESOURCE_POLICY] === 'keep') {
    return finding(
      FindingSeverity.WARNING,
      old,
      `${renamedTo ? `likely renamed to ${renamedTo.label}` : 'removed'}: ` +
        `helm.sh/resource-policy: keep leaves the old object in the cluster, no longer part of the release`,
      change,
    );
  }
  const what = renamedTo
    ? `likely renamed to ${renamedTo.label} (the specs are similar): helm upgrade deletes the old object and creates the new one`
    : 'removed from the chart: helm upgrade deletes it';
  return finding(FindingSeverity.ERROR, old, `${what}${dataLoss(old, renamedTo)}`, change);
}

function dataLoss(old: ReleaseObject, renamedTo: ReleaseObject | undefined): string {
  if (old.kind === 'PersistentVolumeClaim') {
    return renamedTo
      ? '; DATA LOSS: the new claim gets a new, empty volume, and the old claim is deleted with its volume unless the reclaim policy is Retain'
      : "; DATA LOSS: the claim is deleted, and its volume with it unless the PersistentVolume's reclaim policy is Retain";
  }
  if (old.kind === 'StatefulSet') {
    return renamedTo
      ? `; DATA LOSS: the pods of ${renamedTo.manifest.metadata.name} get new, empty PVCs ` +
          `(<template>-${renamedTo.manifest.metadata.name}-<ordinal>) and the old PVCs stay unused`
      : '; its pods are deleted and the PVCs of its volumeClaimTemplates stay in the cluster with nothing using them';
  }
  return '';
}

function hookGone(old: ReleaseObject, renamedTo: ReleaseObject | undefined): UpgradeFinding {
  const left = old.hook!.deletePolicies.includes(HOOK_SUCCEEDED)
    ? ''
    : `; ${old.label} from earlier runs stays in the cluster: delete it by hand`;
  if (renamedTo) {
    return finding(
      FindingSeverity.WARNING,
      old,
      `hook name changes to ${renamedTo.label}: before-hook-creation deletes only an object of the new name${left}`,
      { path: 'metadata.name', before: old.manifest.metadata.name, after: renamedTo.manifest.metadata.name },
    );
  }
  return finding(FindingSeverity.WARNING, old, `hook removed: it no longer runs on ${old.hook!.events.join(', ')}${left}`);
}

/** Pairs removed and added objects of one kind (both hooks or both not) whose fields are similar, most similar first. */
function pairRenames(removed: readonly ReleaseObject[], added: readonly ReleaseObject[]): Map<string, ReleaseObject> {
  const candidates: Array<{ old: ReleaseObject; next: ReleaseObject; score: number }> = [];
  for (const old of removed) {
    for (const next of added) {
      if (old.kind !== next.kind || !old.hook !== !next.hook) continue;
      const score = similarity(old.manifest, next.manifest);
      if (score >= RENAME_SIMILARITY) candidates.push({ old, next, score });
    }
  }
  candidates.sort((x, y) => y.score - x.score || byteOrder(x.old.key, y.old.key) || byteOrder(x.next.key, y.next.key));
  const pairs = new Map<string, ReleaseObject>();
  const taken = new Set<string>();
  for (const { old, next } of candidates) {
    if (pairs.has(old.key) || taken.has(next.key)) continue;
    pairs.set(old.key, next);
    taken.add(next.key);
  }
  return pairs;
}

/** Jaccard similarity of two objects' leaf fields, leaving out metadata (names, labels, annotations) and status. */
function similarity(a: Record<string, any>, b: Record<string, any>): number {
  const x = new Set(leaves(withoutIdentity(a), ''));
  const y = new Set(leaves(withoutIdentity(b), ''));
  if (x.size === 0 && y.size === 0) return 1;
  let common = 0;
  for (const leaf of x) if (y.has(leaf)) common++;
  return common / (x.size + y.size - common);
}

function withoutIdentity(manifest: Record<string, any>): Record<string, any> {
  const { metadata: _metadata, status: _status, ...rest } = manifest;
  return rest;
}

function leaves(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leaves(item, `${path}.${key}`));
  return [`${path}=${JSON.stringify(value)}`];
}

/** Every leaf difference between two values, with its path (`a.b[0]["x.y"]`); undefined stands for an absent field. */
function differences(a: unknown, b: unknown, path: string): FieldChange[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    const step = (key: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
    return keys.flatMap((key) => differences(a[key], b[key], `${path}${step(key)}`));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => differences(a[i], b[i], `${path}[${i}]`)).flat();
  }
  return [{ path, before: a, after: b }];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** A Kubernetes quantity (`10Gi`, `500M`, `1.5e3`) as a number; undefined when it is not one. */
function quantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E))?$/.exec(value.trim());
  if (!match) return undefined;
  const factors: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
  };
  return Number(match[1] + (match[2] ?? '')) * (match[3] ? factors[match[3]] : 1);
}

function finding(severity: FindingSeverity, object: ReleaseObject, message: string, change?: FieldChange): UpgradeFinding {
  return {
    severity,
    object: object.label,
    source: object.source,
    path: change?.path,
    before: change?.before,
    after: change?.after,
    message,
  };
}
