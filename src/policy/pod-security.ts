/**
 * Pod Security Standards checker: every violation of the "restricted" profile (which includes all
 * of "baseline") in one rendered Kubernetes object, by the rules of Kubernetes 1.27
 * (kubernetes.io/docs/concepts/security/pod-security-standards). Where the page leaves a detail
 * open, this follows what the PodSecurity admission controller of 1.27 enforces: names compare
 * case-sensitively (`drop: [all]` does not count as `ALL`), a pod-level `runAsNonRoot: false` or
 * seccomp `Unconfined` fails even when every container overrides it, and pods with
 * `spec.os.name: windows` are exempt from the restricted privilege-escalation, seccomp and
 * capabilities rules (Kubernetes rejects those fields on Windows pods).
 *
 * Pure: reads plain JSON, imports nothing from the rest of helm-synth.
 */

/** The Kubernetes minor version whose Pod Security Standards these rules are. */
export const POD_SECURITY_KUBERNETES_VERSION = '1.27';

/** The Pod Security Standards profile a rule belongs to. */
export enum PodSecurityLevel {
  /** Prevents known privilege escalations; a pod that fails it fails restricted too. */
  BASELINE = 'baseline',
  /** Current pod hardening practice, on top of baseline. */
  RESTRICTED = 'restricted',
}

/** The rules checked, as stable ids `<level>/<control>`. */
export enum PodSecurityRule {
  HOST_PROCESS = 'baseline/hostProcess',
  HOST_NAMESPACES = 'baseline/hostNamespaces',
  PRIVILEGED = 'baseline/privileged',
  /** Added capabilities outside the default set (the restricted rule allows only NET_BIND_SERVICE). */
  CAPABILITIES_BASELINE = 'baseline/capabilities',
  HOST_PATH_VOLUMES = 'baseline/hostPathVolumes',
  HOST_PORTS = 'baseline/hostPorts',
  APP_ARMOR = 'baseline/appArmorProfile',
  SE_LINUX = 'baseline/seLinuxOptions',
  PROC_MOUNT = 'baseline/procMount',
  /** An explicit `Unconfined` seccomp profile. */
  SECCOMP_BASELINE = 'baseline/seccompProfile',
  SYSCTLS = 'baseline/sysctls',
  VOLUME_TYPES = 'restricted/volumeTypes',
  ALLOW_PRIVILEGE_ESCALATION = 'restricted/allowPrivilegeEscalation',
  RUN_AS_NON_ROOT = 'restricted/runAsNonRoot',
  RUN_AS_USER = 'restricted/runAsUser',
  /** A container without a RuntimeDefault or Localhost seccomp profile (its own or the pod's). */
  SECCOMP_RESTRICTED = 'restricted/seccompProfile',
  /** A container that does not drop ALL, or adds a default capability other than NET_BIND_SERVICE. */
  CAPABILITIES_RESTRICTED = 'restricted/capabilities',
}

/** One violation of a rule in one field of an object. */
export interface PodSecurityViolation {
  /** The rule broken. */
  readonly rule: PodSecurityRule;
  /** The lowest profile the object fails by this violation. */
  readonly level: PodSecurityLevel;
  /** JSON path of the field at fault in the object, e.g. `spec.template.spec.containers[0].securityContext.capabilities.drop`. */
  readonly field: string;
  /** What is wrong and what value would pass. */
  readonly message: string;
}

/** The violations of one object that holds a pod spec. */
export interface PodSecurityReport {
  /** The object's `kind`. */
  readonly kind: string;
  /** The object's `metadata.name` (`<unnamed>` when it has none). */
  readonly name: string;
  /** Every violation, empty when the object passes restricted. */
  readonly violations: readonly PodSecurityViolation[];
}

/** Where the pod template of an object is, and what it holds. */
export interface PodSpecLocation {
  /** JSON path of the pod metadata: `metadata` for a Pod, `spec.template.metadata` for a Deployment. */
  readonly metadataPath: string;
  /** JSON path of the pod spec: `spec` for a Pod, `spec.template.spec` for a Deployment. */
  readonly specPath: string;
  /** The pod metadata (empty when the template has none). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The pod spec. */
  readonly spec: Readonly<Record<string, unknown>>;
}

type Json = Readonly<Record<string, unknown>>;

const TEMPLATE = ['spec', 'template'];

/** Kinds that hold a pod spec: their API groups and the path of their pod template ([] for a Pod itself). */
const POD_HOLDERS: ReadonlyMap<string, { readonly groups: readonly string[]; readonly template: readonly string[] }> = new Map([
  ['Pod', { groups: [''], template: [] }],
  ['PodTemplate', { groups: [''], template: ['template'] }],
  ['ReplicationController', { groups: [''], template: TEMPLATE }],
  ['Deployment', { groups: ['apps', 'extensions'], template: TEMPLATE }],
  ['StatefulSet', { groups: ['apps'], template: TEMPLATE }],
  ['DaemonSet', { groups: ['apps', 'extensions'], template: TEMPLATE }],
  ['ReplicaSet', { groups: ['apps', 'extensions'], template: TEMPLATE }],
  ['Job', { groups: ['batch'], template: TEMPLATE }],
  ['CronJob', { groups: ['batch'], template: ['spec', 'jobTemplate', 'spec', 'template'] }],
]);

/** Container lists of a pod spec and how a message names their members. */
const CONTAINER_LISTS: ReadonlyArray<readonly [string, string]> = [
  ['containers', 'container'],
  ['initContainers', 'init container'],
  ['ephemeralContainers', 'ephemeral container'],
];

/** Capabilities the baseline profile lets a container add (the container runtimes' default set). */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const RESTRICTED_ADDABLE_CAPABILITY = 'NET_BIND_SERVICE';
const DROP_ALL = 'ALL';

/** Safe sysctls of Kubernetes 1.27 (net.ipv4.ip_local_reserved_ports joined in 1.27). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
]);

const SE_LINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const APP_ARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const APP_ARMOR_RUNTIME_DEFAULT = 'runtime/default';
const APP_ARMOR_LOCALHOST_PREFIX = 'localhost/';
const SECCOMP_UNCONFINED = 'Unconfined';
const SECCOMP_ALLOWED = new Set(['RuntimeDefault', 'Localhost']);
const SECCOMP_ALLOWED_TEXT = '"RuntimeDefault" or "Localhost"';

/** Volume sources the restricted profile allows (hostPath is the baseline rule's). */
const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** One security context (the pod's or a container's), where it is and how a message names its owner. */
interface Context {
  /** `the pod`, `container "web"`, `init container "migrate"`, `ephemeral container "debug"`. */
  readonly who: string;
  readonly securityContext: Json;
  readonly path: string;
}

interface Container extends Context {
  readonly value: Json;
  /** JSON path of the container itself. */
  readonly containerPath: string;
}

/** A pod spec read once for all checks. */
interface Pod extends Context {
  readonly metadata: Json;
  readonly metadataPath: string;
  readonly spec: Json;
  readonly specPath: string;
  readonly containers: readonly Container[];
  /** The pod's context, then every container's. */
  readonly contexts: readonly Context[];
  /** `spec.os.name: windows`: exempt from the restricted privilege-escalation, seccomp and capabilities rules. */
  readonly windows: boolean;
}

type Report = (rule: PodSecurityRule, field: string, message: string) => void;

/**
 * Where the pod spec of an object is: Pod, PodTemplate, ReplicationController, Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job and CronJob (their core/apps/batch API groups only).
 * Undefined for any other object, or one without a pod spec.
 */
export function findPodSpec(object: unknown): PodSpecLocation | undefined {
  const manifest = record(object);
  if (!manifest || typeof manifest.kind !== 'string' || typeof manifest.apiVersion !== 'string') return undefined;
  const holder = POD_HOLDERS.get(manifest.kind);
  const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '';
  if (!holder || !holder.groups.includes(group)) return undefined;
  let template: Json | undefined = manifest;
  for (const key of holder.template) template = record(template?.[key]);
  const spec = record(template?.spec);
  if (!template || !spec) return undefined;
  const base = holder.template.join('.');
  return { metadataPath: join(base, 'metadata'), specPath: join(base, 'spec'), metadata: record(template.metadata) ?? {}, spec };
}

/**
 * Every violation of the restricted profile (baseline included) in one rendered object, in rule
 * order. Empty for an object that passes, and for one that holds no pod spec.
 */
export function checkPodSecurity(object: unknown): PodSecurityViolation[] {
  const location = findPodSpec(object);
  if (!location) return [];
  const pod = readPod(location);
  const violations: PodSecurityViolation[] = [];
  const report: Report = (rule, field, message) => violations.push({ rule, level: levelOf(rule), field, message });
  for (const check of CHECKS) check(pod, report);
  return violations;
}

/** The violations of each object of a list (a whole rendered chart) that holds a pod spec, in list order. */
export function checkPodSecurityAll(objects: Iterable<unknown>): PodSecurityReport[] {
  const reports: PodSecurityReport[] = [];
  for (const object of objects) {
    if (!findPodSpec(object)) continue;
    const manifest = object as Json;
    const name = record(manifest.metadata)?.name;
    reports.push({
      kind: manifest.kind as string,
      name: typeof name === 'string' && name !== '' ? name : '<unnamed>',
      violations: checkPodSecurity(object),
    });
  }
  return reports;
}

/** One line per violation, `Kind/name: rule at field: message`, for logs and test failures. */
export function formatPodSecurityReports(reports: Iterable<PodSecurityReport>): string {
  const lines: string[] = [];
  for (const { kind, name, violations } of reports) {
    for (const v of violations) lines.push(`${kind}/${name}: ${v.rule} at ${v.field}: ${v.message}`);
  }
  return lines.join('\n');
}

function levelOf(rule: PodSecurityRule): PodSecurityLevel {
  return rule.startsWith(`${PodSecurityLevel.BASELINE}/`) ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED;
}

function readPod(location: PodSpecLocation): Pod {
  const { spec, specPath } = location;
  const containers: Container[] = [];
  for (const [list, noun] of CONTAINER_LISTS) {
    items(spec[list]).forEach((item, index) => {
      const value = record(item) ?? {};
      const containerPath = `${join(specPath, list)}[${index}]`;
      containers.push({
        who: `${noun} ${JSON.stringify(typeof value.name === 'string' ? value.name : `#${index}`)}`,
        securityContext: record(value.securityContext) ?? {},
        path: join(containerPath, 'securityContext'),
        value,
        containerPath,
      });
    });
  }
  const podContext: Context = {
    who: 'the pod',
    securityContext: record(spec.securityContext) ?? {},
    path: join(specPath, 'securityContext'),
  };
  return { ...location, ...podContext, containers, contexts: [podContext, ...containers], windows: record(spec.os)?.name === 'windows' };
}

const CHECKS: ReadonlyArray<(pod: Pod, report: Report) => void> = [
  checkHostProcess,
  checkHostNamespaces,
  checkPrivileged,
  checkAddedCapabilities,
  checkHostPathVolumes,
  checkHostPorts,
  checkAppArmor,
  checkSeLinux,
  checkProcMount,
  checkSeccompUnconfined,
  checkSysctls,
  checkVolumeTypes,
  checkAllowPrivilegeEscalation,
  checkRunAsNonRoot,
  checkRunAsUser,
  checkSeccompRestricted,
  checkDropAll,
];

function checkHostProcess(pod: Pod, report: Report): void {
  for (const { who, securityContext, path } of pod.contexts) {
    if (record(securityContext.windowsOptions)?.hostProcess !== true) continue;
    report(
      PodSecurityRule.HOST_PROCESS,
      join(path, 'windowsOptions.hostProcess'),
      `${who} runs as a Windows HostProcess: remove hostProcess or set it to false`,
    );
  }
}

function checkHostNamespaces(pod: Pod, report: Report): void {
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (pod.spec[field] !== true) continue;
    report(
      PodSecurityRule.HOST_NAMESPACES,
      join(pod.specPath, field),
      `the pod shares a host namespace (${field}: true): remove ${field} or set it to false`,
    );
  }
}

function checkPrivileged(pod: Pod, report: Report): void {
  for (const { who, securityContext, path } of pod.containers) {
    if (securityContext.privileged !== true) continue;
    report(
      PodSecurityRule.PRIVILEGED,
      join(path, 'privileged'),
      `${who} is privileged: remove securityContext.privileged or set it to false`,
    );
  }
}

/**
 * Added capabilities. At restricted, Kubernetes replaces the baseline check by the restricted one
 * (only NET_BIND_SERVICE); a capability outside the baseline set is reported at baseline level.
 */
function checkAddedCapabilities(pod: Pod, report: Report): void {
  for (const { who, securityContext, path } of pod.containers) {
    items(record(securityContext.capabilities)?.add).forEach((capability, index) => {
      if (capability === RESTRICTED_ADDABLE_CAPABILITY) return;
      const field = `${join(path, 'capabilities.add')}[${index}]`;
      if (typeof capability !== 'string' || !BASELINE_CAPABILITIES.has(capability)) {
        report(
          PodSecurityRule.CAPABILITIES_BASELINE,
          field,
          `${who} adds capability ${describe(capability)}, ` +
            `outside the baseline set (${[...BASELINE_CAPABILITIES].join(', ')}); ` +
            `restricted allows adding only ${RESTRICTED_ADDABLE_CAPABILITY}`,
        );
      } else if (!pod.windows) {
        report(
          PodSecurityRule.CAPABILITIES_RESTRICTED,
          field,
          `${who} adds capability ${describe(capability)}: restricted allows adding only ${RESTRICTED_ADDABLE_CAPABILITY}`,
        );
      }
    });
  }
}

function checkHostPathVolumes(pod: Pod, report: Report): void {
  items(pod.spec.volumes).forEach((volume, index) => {
    const v = record(volume);
    if (!isSet(v?.hostPath)) return;
    report(
      PodSecurityRule.HOST_PATH_VOLUMES,
      `${join(pod.specPath, 'volumes')}[${index}].hostPath`,
      `volume ${describe(v?.name)} is a hostPath volume: use a persistentVolumeClaim, emptyDir, configMap or secret instead`,
    );
  });
}

function checkHostPorts(pod: Pod, report: Report): void {
  for (const { who, value, containerPath } of pod.containers) {
    items(value.ports).forEach((port, index) => {
      const hostPort = record(port)?.hostPort;
      if (!isSet(hostPort) || hostPort === 0) return;
      report(
        PodSecurityRule.HOST_PORTS,
        `${join(containerPath, 'ports')}[${index}].hostPort`,
        `${who} binds host port ${describe(hostPort)}: remove hostPort (or set 0) and reach the port through a Service`,
      );
    });
  }
}

function checkAppArmor(pod: Pod, report: Report): void {
  for (const [key, value] of Object.entries(record(pod.metadata.annotations) ?? {})) {
    if (!key.startsWith(APP_ARMOR_ANNOTATION_PREFIX)) continue;
    const profile = typeof value === 'string' ? value : String(value);
    if (profile === '' || profile === APP_ARMOR_RUNTIME_DEFAULT || profile.startsWith(APP_ARMOR_LOCALHOST_PREFIX)) continue;
    const container = JSON.stringify(key.slice(APP_ARMOR_ANNOTATION_PREFIX.length));
    report(
      PodSecurityRule.APP_ARMOR,
      `${join(pod.metadataPath, 'annotations')}[${JSON.stringify(key)}]`,
      `AppArmor profile ${describe(value)} of container ${container} overrides the default: ` +
        `use "${APP_ARMOR_RUNTIME_DEFAULT}", "${APP_ARMOR_LOCALHOST_PREFIX}<profile>" or no annotation`,
    );
  }
}

function checkSeLinux(pod: Pod, report: Report): void {
  for (const { who, securityContext, path } of pod.contexts) {
    const options = record(securityContext.seLinuxOptions);
    if (!options) continue;
    const optionsPath = join(path, 'seLinuxOptions');
    if (isSet(options.type) && !SE_LINUX_TYPES.has(options.type as string)) {
      report(
        PodSecurityRule.SE_LINUX,
        join(optionsPath, 'type'),
        `${who} sets SELinux type ${describe(options.type)}: use container_t, container_init_t, container_kvm_t or leave it unset`,
      );
    }
    for (const field of ['user', 'role']) {
      if (!isSet(options[field]) || options[field] === '') continue;
      report(
        PodSecurityRule.SE_LINUX,
        join(optionsPath, field),
        `${who} sets SELinux ${field} ${describe(options[field])}: leave seLinuxOptions.${field} unset`,
      );
    }
  }
}

function checkProcMount(pod: Pod, report: Report): void {
  for (const { who, securityContext, path } of pod.containers) {
    const procMount = securityContext.procMount;
    if (!isSet(procMount) || procMount === 'Default') continue;
    report(
      PodSecurityRule.PROC_MOUNT,
      join(path, 'procMount'),
      `${who} sets procMount ${describe(procMount)}: use "Default" or leave it unset`,
    );
  }
}

function checkSeccompUnconfined(pod: Pod, report: Report): void {
  for (const { who, securityContext, path } of pod.contexts) {
    if (record(securityContext.seccompProfile)?.type !== SECCOMP_UNCONFINED) continue;
    report(
      PodSecurityRule.SECCOMP_BASELINE,
      join(path, 'seccompProfile.type'),
      `${who} sets seccomp profile "Unconfined": use ${SECCOMP_ALLOWED_TEXT}`,
    );
  }
}

function checkSysctls(pod: Pod, report: Report): void {
  items(pod.securityContext.sysctls).forEach((sysctl, index) => {
    const name = record(sysctl)?.name;
    if (typeof name === 'string' && SAFE_SYSCTLS.has(name)) return;
    report(
      PodSecurityRule.SYSCTLS,
      `${join(pod.path, 'sysctls')}[${index}].name`,
      `sysctl ${describe(name)} is not in the safe set: use only ${[...SAFE_SYSCTLS].join(', ')}`,
    );
  });
}

function checkVolumeTypes(pod: Pod, report: Report): void {
  items(pod.spec.volumes).forEach((volume, index) => {
    const v = record(volume) ?? {};
    for (const source of Object.keys(v)) {
      if (source === 'name' || source === 'hostPath' || RESTRICTED_VOLUME_SOURCES.has(source) || !isSet(v[source])) continue;
      report(
        PodSecurityRule.VOLUME_TYPES,
        `${join(pod.specPath, 'volumes')}[${index}].${source}`,
        `volume ${describe(v.name)} is a ${source} volume: restricted allows only ${[...RESTRICTED_VOLUME_SOURCES].join(', ')} ` +
          '(a persistentVolumeClaim reaches other storage)',
      );
    }
  });
}

function checkAllowPrivilegeEscalation(pod: Pod, report: Report): void {
  if (pod.windows) return;
  for (const { who, securityContext, path } of pod.containers) {
    const value = securityContext.allowPrivilegeEscalation;
    if (value === false) continue;
    const now = isSet(value) ? `sets allowPrivilegeEscalation ${describe(value)}` : 'does not set allowPrivilegeEscalation';
    report(
      PodSecurityRule.ALLOW_PRIVILEGE_ESCALATION,
      join(path, 'allowPrivilegeEscalation'),
      `${who} ${now}: set securityContext.allowPrivilegeEscalation: false`,
    );
  }
}

/**
 * runAsNonRoot: the pod's `true` covers containers that do not set it; any explicit value other
 * than true fails, the pod's included (even when every container sets true).
 */
function checkRunAsNonRoot(pod: Pod, report: Report): void {
  const podValue = pod.securityContext.runAsNonRoot;
  if (isSet(podValue) && podValue !== true) {
    report(
      PodSecurityRule.RUN_AS_NON_ROOT,
      join(pod.path, 'runAsNonRoot'),
      `the pod sets runAsNonRoot ${describe(podValue)}: set it to true (a pod-level false fails even when every container sets true)`,
    );
  }
  for (const { who, securityContext, path } of pod.containers) {
    const value = securityContext.runAsNonRoot;
    if (value === true || (!isSet(value) && podValue === true)) continue;
    report(
      PodSecurityRule.RUN_AS_NON_ROOT,
      join(path, 'runAsNonRoot'),
      isSet(value)
        ? `${who} sets runAsNonRoot ${describe(value)}${podValue === true ? ", overriding the pod's true" : ''}: set it to true or remove it`
        : `${who} does not set runAsNonRoot and the pod does not set it to true: set runAsNonRoot: true on the container or in ${pod.path}`,
    );
  }
}

function checkRunAsUser(pod: Pod, report: Report): void {
  for (const { who, securityContext, path } of pod.contexts) {
    if (securityContext.runAsUser !== 0) continue;
    report(
      PodSecurityRule.RUN_AS_USER,
      join(path, 'runAsUser'),
      `${who} runs as user 0 (root): set a non-zero runAsUser or leave it unset`,
    );
  }
}

/**
 * Seccomp: RuntimeDefault or Localhost at pod level (covering every container that sets none) or
 * on every container. An explicit Unconfined is the baseline rule's and is not reported twice.
 */
function checkSeccompRestricted(pod: Pod, report: Report): void {
  if (pod.windows) return;
  const allowedType = ({ who, securityContext, path }: Context): boolean | undefined => {
    const profile = record(securityContext.seccompProfile);
    if (!profile) return undefined;
    if (!SECCOMP_ALLOWED.has(profile.type as string) && profile.type !== SECCOMP_UNCONFINED) {
      report(
        PodSecurityRule.SECCOMP_RESTRICTED,
        join(path, 'seccompProfile.type'),
        `${who} sets seccomp profile type ${describe(profile.type)}: use ${SECCOMP_ALLOWED_TEXT}`,
      );
    }
    return SECCOMP_ALLOWED.has(profile.type as string);
  };
  const podAllowed = allowedType(pod) === true;
  for (const container of pod.containers) {
    if (allowedType(container) !== undefined || podAllowed) continue;
    report(
      PodSecurityRule.SECCOMP_RESTRICTED,
      join(container.path, 'seccompProfile'),
      `${container.who} has no seccomp profile and the pod sets no allowed one: ` +
        `set seccompProfile.type ${SECCOMP_ALLOWED_TEXT} in ${pod.path} or on the container`,
    );
  }
}

function checkDropAll(pod: Pod, report: Report): void {
  if (pod.windows) return;
  for (const { who, securityContext, path } of pod.containers) {
    const drop = record(securityContext.capabilities)?.drop;
    if (items(drop).includes(DROP_ALL)) continue;
    const nearly = items(drop).find((x) => typeof x === 'string' && x.toUpperCase() === DROP_ALL);
    report(
      PodSecurityRule.CAPABILITIES_RESTRICTED,
      join(path, 'capabilities.drop'),
      nearly !== undefined
        ? `${who} drops ${describe(nearly)}: Kubernetes compares capability names case-sensitively, write "ALL"`
        : `${who} does not drop ALL capabilities (drop: ${isSet(drop) ? describe(drop) : 'unset'}): ` +
            'set securityContext.capabilities.drop: ["ALL"]',
    );
  }
}

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function items(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function join(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
