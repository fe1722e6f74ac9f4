import {
  checkPodSecurity,
  checkPodSecurityAll,
  findPodSpec,
  formatPodSecurityReports,
  PodSecurityLevel,
  PodSecurityRule,
} from '../../src/policy/pod-security';
import { expectRestrictedPods, restrictedViolationIds } from '../support/pod-security';

type Spec = Record<string, any>;
type Tweak = (spec: Spec) => void;

const R = PodSecurityRule;
const APP_ARMOR = 'container.apparmor.security.beta.kubernetes.io/app';

/** A container that passes restricted when the pod sets runAsNonRoot and seccomp. */
function container(name: string, securityContext: Spec = {}): Spec {
  return {
    name,
    image: 'nginx',
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...securityContext },
  };
}

/** A pod spec that passes restricted. */
function compliantSpec(): Spec {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container('app')],
  };
}

/** A Pod around the compliant spec, changed by `tweak`. */
function pod(tweak: Tweak = () => undefined, annotations?: Record<string, string>): Spec {
  const spec = compliantSpec();
  tweak(spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...(annotations ? { annotations } : {}) }, spec };
}

const c0 = 'spec.containers[0].securityContext';
const ctx = (spec: Spec): Spec => spec.containers[0].securityContext;
const podCtx = (spec: Spec): Spec => spec.securityContext;

/** [rule, case, tweak, expected [rule, field] pairs]; every rule has at least one row. */
const VIOLATING: Array<[PodSecurityRule, string, Tweak, Array<[PodSecurityRule, string]>, Record<string, string>?]> = [
  [
    R.HOST_PROCESS,
    'pod-level hostProcess',
    (s) => {
      podCtx(s).windowsOptions = { hostProcess: true };
    },
    [[R.HOST_PROCESS, 'spec.securityContext.windowsOptions.hostProcess']],
  ],
  [
    R.HOST_PROCESS,
    'container hostProcess',
    (s) => {
      ctx(s).windowsOptions = { hostProcess: true };
    },
    [[R.HOST_PROCESS, `${c0}.windowsOptions.hostProcess`]],
  ],
  [
    R.HOST_NAMESPACES,
    'all three host namespaces',
    (s) => Object.assign(s, { hostNetwork: true, hostPID: true, hostIPC: true }),
    [
      [R.HOST_NAMESPACES, 'spec.hostNetwork'],
      [R.HOST_NAMESPACES, 'spec.hostPID'],
      [R.HOST_NAMESPACES, 'spec.hostIPC'],
    ],
  ],
  [
    R.PRIVILEGED,
    'privileged init container',
    (s) => {
      s.initContainers = [container('init', { privileged: true })];
    },
    [[R.PRIVILEGED, 'spec.initContainers[0].securityContext.privileged']],
  ],
  [
    R.CAPABILITIES_BASELINE,
    'SYS_ADMIN added',
    (s) => {
      ctx(s).capabilities.add = ['NET_BIND_SERVICE', 'SYS_ADMIN'];
    },
    [[R.CAPABILITIES_BASELINE, `${c0}.capabilities.add[1]`]],
  ],
  [
    R.CAPABILITIES_BASELINE,
    'lowercase net_bind_service added (names are case-sensitive)',
    (s) => {
      ctx(s).capabilities.add = ['net_bind_service'];
    },
    [[R.CAPABILITIES_BASELINE, `${c0}.capabilities.add[0]`]],
  ],
  [
    R.CAPABILITIES_RESTRICTED,
    'CHOWN added (in the baseline set, not restricted)',
    (s) => {
      ctx(s).capabilities.add = ['CHOWN'];
    },
    [[R.CAPABILITIES_RESTRICTED, `${c0}.capabilities.add[0]`]],
  ],
  [
    R.CAPABILITIES_RESTRICTED,
    'no capabilities drop',
    (s) => {
      delete ctx(s).capabilities;
    },
    [[R.CAPABILITIES_RESTRICTED, `${c0}.capabilities.drop`]],
  ],
  [
    R.CAPABILITIES_RESTRICTED,
    'drop of lowercase "all"',
    (s) => {
      ctx(s).capabilities.drop = ['all'];
    },
    [[R.CAPABILITIES_RESTRICTED, `${c0}.capabilities.drop`]],
  ],
  [
    R.CAPABILITIES_RESTRICTED,
    'drop of single capabilities only',
    (s) => {
      ctx(s).capabilities.drop = ['NET_RAW', 'SYS_ADMIN'];
    },
    [[R.CAPABILITIES_RESTRICTED, `${c0}.capabilities.drop`]],
  ],
  [
    R.HOST_PATH_VOLUMES,
    'hostPath volume (reported once, not again as a volume type)',
    (s) => {
      s.volumes = [
        { name: 'data', emptyDir: {} },
        { name: 'host', hostPath: { path: '/var/run' } },
      ];
    },
    [[R.HOST_PATH_VOLUMES, 'spec.volumes[1].hostPath']],
  ],
  [
    R.HOST_PORTS,
    'hostPort on the second port',
    (s) => {
      s.containers[0].ports = [{ containerPort: 80 }, { containerPort: 443, hostPort: 8443 }];
    },
    [[R.HOST_PORTS, 'spec.containers[0].ports[1].hostPort']],
  ],
  [
    R.APP_ARMOR,
    'AppArmor unconfined',
    () => undefined,
    [[R.APP_ARMOR, `metadata.annotations["${APP_ARMOR}"]`]],
    { [APP_ARMOR]: 'unconfined' },
  ],
  [
    R.SE_LINUX,
    'SELinux type spc_t at pod level',
    (s) => {
      podCtx(s).seLinuxOptions = { type: 'spc_t' };
    },
    [[R.SE_LINUX, 'spec.securityContext.seLinuxOptions.type']],
  ],
  [
    R.SE_LINUX,
    'SELinux user and role on a container',
    (s) => {
      ctx(s).seLinuxOptions = { type: 'container_t', user: 'system_u', role: 'system_r' };
    },
    [
      [R.SE_LINUX, `${c0}.seLinuxOptions.user`],
      [R.SE_LINUX, `${c0}.seLinuxOptions.role`],
    ],
  ],
  [
    R.PROC_MOUNT,
    'procMount Unmasked',
    (s) => {
      ctx(s).procMount = 'Unmasked';
    },
    [[R.PROC_MOUNT, `${c0}.procMount`]],
  ],
  [
    R.SECCOMP_BASELINE,
    "container Unconfined overrides the pod's RuntimeDefault",
    (s) => {
      ctx(s).seccompProfile = { type: 'Unconfined' };
    },
    [[R.SECCOMP_BASELINE, `${c0}.seccompProfile.type`]],
  ],
  [
    R.SECCOMP_BASELINE,
    'pod Unconfined leaves containers without a profile',
    (s) => {
      podCtx(s).seccompProfile = { type: 'Unconfined' };
      s.initContainers = [container('init', { seccompProfile: { type: 'RuntimeDefault' } })];
    },
    [
      [R.SECCOMP_BASELINE, 'spec.securityContext.seccompProfile.type'],
      [R.SECCOMP_RESTRICTED, `${c0}.seccompProfile`],
    ],
  ],
  [
    R.SECCOMP_BASELINE,
    'pod Unconfined fails even when every container sets RuntimeDefault',
    (s) => {
      podCtx(s).seccompProfile = { type: 'Unconfined' };
      ctx(s).seccompProfile = { type: 'RuntimeDefault' };
    },
    [[R.SECCOMP_BASELINE, 'spec.securityContext.seccompProfile.type']],
  ],
  [
    R.SYSCTLS,
    'unsafe sysctl',
    (s) => {
      podCtx(s).sysctls = [
        { name: 'net.ipv4.tcp_syncookies', value: '1' },
        { name: 'kernel.msgmax', value: '65536' },
      ];
    },
    [[R.SYSCTLS, 'spec.securityContext.sysctls[1].name']],
  ],
  [
    R.SYSCTLS,
    'sysctl safe only from Kubernetes 1.29 on',
    (s) => {
      podCtx(s).sysctls = [{ name: 'net.ipv4.tcp_keepalive_time', value: '600' }];
    },
    [[R.SYSCTLS, 'spec.securityContext.sysctls[0].name']],
  ],
  [
    R.VOLUME_TYPES,
    'nfs and gitRepo volumes',
    (s) => {
      s.volumes = [
        { name: 'a', nfs: { server: 'n', path: '/' } },
        { name: 'b', configMap: { name: 'c' } },
        { name: 'c', gitRepo: {} },
      ];
    },
    [
      [R.VOLUME_TYPES, 'spec.volumes[0].nfs'],
      [R.VOLUME_TYPES, 'spec.volumes[2].gitRepo'],
    ],
  ],
  [
    R.ALLOW_PRIVILEGE_ESCALATION,
    'allowPrivilegeEscalation unset',
    (s) => {
      delete ctx(s).allowPrivilegeEscalation;
    },
    [[R.ALLOW_PRIVILEGE_ESCALATION, `${c0}.allowPrivilegeEscalation`]],
  ],
  [
    R.ALLOW_PRIVILEGE_ESCALATION,
    'allowPrivilegeEscalation true on an ephemeral container',
    (s) => {
      s.ephemeralContainers = [container('debug', { allowPrivilegeEscalation: true })];
    },
    [[R.ALLOW_PRIVILEGE_ESCALATION, 'spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation']],
  ],
  [
    R.RUN_AS_NON_ROOT,
    'runAsNonRoot set nowhere',
    (s) => {
      delete podCtx(s).runAsNonRoot;
    },
    [[R.RUN_AS_NON_ROOT, `${c0}.runAsNonRoot`]],
  ],
  [
    R.RUN_AS_NON_ROOT,
    "container false overrides the pod's true",
    (s) => {
      ctx(s).runAsNonRoot = false;
    },
    [[R.RUN_AS_NON_ROOT, `${c0}.runAsNonRoot`]],
  ],
  [
    R.RUN_AS_NON_ROOT,
    'pod false fails even when every container sets true',
    (s) => {
      podCtx(s).runAsNonRoot = false;
      ctx(s).runAsNonRoot = true;
    },
    [[R.RUN_AS_NON_ROOT, 'spec.securityContext.runAsNonRoot']],
  ],
  [
    R.RUN_AS_NON_ROOT,
    'second container without it when the pod sets none',
    (s) => {
      delete podCtx(s).runAsNonRoot;
      ctx(s).runAsNonRoot = true;
      s.containers.push(container('sidecar'));
    },
    [[R.RUN_AS_NON_ROOT, 'spec.containers[1].securityContext.runAsNonRoot']],
  ],
  [
    R.RUN_AS_USER,
    'runAsUser 0 at pod and container level',
    (s) => {
      podCtx(s).runAsUser = 0;
      ctx(s).runAsUser = 0;
    },
    [
      [R.RUN_AS_USER, 'spec.securityContext.runAsUser'],
      [R.RUN_AS_USER, `${c0}.runAsUser`],
    ],
  ],
  [
    R.SECCOMP_RESTRICTED,
    'seccomp set nowhere',
    (s) => {
      delete podCtx(s).seccompProfile;
      s.initContainers = [container('init')];
    },
    [
      [R.SECCOMP_RESTRICTED, `${c0}.seccompProfile`],
      [R.SECCOMP_RESTRICTED, 'spec.initContainers[0].securityContext.seccompProfile'],
    ],
  ],
  [
    R.SECCOMP_RESTRICTED,
    'only one of two containers sets a profile',
    (s) => {
      delete podCtx(s).seccompProfile;
      ctx(s).seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' };
      s.containers.push(container('sidecar'));
    },
    [[R.SECCOMP_RESTRICTED, 'spec.containers[1].securityContext.seccompProfile']],
  ],
  [
    R.SECCOMP_RESTRICTED,
    'unknown seccomp type at pod level',
    (s) => {
      podCtx(s).seccompProfile = { type: 'runtime/default' };
    },
    [
      [R.SECCOMP_RESTRICTED, 'spec.securityContext.seccompProfile.type'],
      [R.SECCOMP_RESTRICTED, `${c0}.seccompProfile`],
    ],
  ],
];

/** [rule, case, tweak]: edge cases that pass; every rule has at least one row. */
const PASSING: Array<[PodSecurityRule, string, Tweak, Record<string, string>?]> = [
  [
    R.HOST_PROCESS,
    'hostProcess false everywhere',
    (s) => {
      podCtx(s).windowsOptions = { hostProcess: false };
      ctx(s).windowsOptions = { hostProcess: false };
    },
  ],
  [R.HOST_NAMESPACES, 'host namespaces false', (s) => Object.assign(s, { hostNetwork: false, hostPID: false, hostIPC: false })],
  [
    R.PRIVILEGED,
    'privileged false',
    (s) => {
      ctx(s).privileged = false;
    },
  ],
  [
    R.CAPABILITIES_BASELINE,
    'NET_BIND_SERVICE added',
    (s) => {
      ctx(s).capabilities.add = ['NET_BIND_SERVICE'];
    },
  ],
  [
    R.CAPABILITIES_RESTRICTED,
    'drop of ALL among others',
    (s) => {
      ctx(s).capabilities.drop = ['NET_RAW', 'ALL'];
    },
  ],
  [
    R.HOST_PATH_VOLUMES,
    'no volumes at all',
    (s) => {
      s.volumes = [];
    },
  ],
  [
    R.HOST_PORTS,
    'hostPort 0 and plain container ports',
    (s) => {
      s.containers[0].ports = [{ containerPort: 80, hostPort: 0 }, { containerPort: 443 }];
    },
  ],
  [
    R.APP_ARMOR,
    'AppArmor runtime/default and localhost profiles, other annotations',
    () => undefined,
    {
      [APP_ARMOR]: 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/b': 'localhost/custom',
      'example.com/x': 'unconfined',
    },
  ],
  [
    R.SE_LINUX,
    'SELinux allowed types and a level',
    (s) => {
      podCtx(s).seLinuxOptions = { type: 'container_init_t', level: 's0:c123,c456' };
      ctx(s).seLinuxOptions = { type: 'container_kvm_t', user: '', role: '' };
    },
  ],
  [
    R.PROC_MOUNT,
    'procMount Default',
    (s) => {
      ctx(s).procMount = 'Default';
    },
  ],
  [
    R.SECCOMP_BASELINE,
    "container Localhost overrides the pod's RuntimeDefault",
    (s) => {
      ctx(s).seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' };
    },
  ],
  [
    R.SYSCTLS,
    'every safe sysctl of 1.27',
    (s) => {
      const names = [
        'kernel.shm_rmid_forced',
        'net.ipv4.ip_local_port_range',
        'net.ipv4.ip_local_reserved_ports',
        'net.ipv4.ip_unprivileged_port_start',
        'net.ipv4.tcp_syncookies',
        'net.ipv4.ping_group_range',
      ];
      podCtx(s).sysctls = names.map((name) => ({ name, value: '1' }));
    },
  ],
  [
    R.VOLUME_TYPES,
    'every allowed volume type, and a volume with no source (defaults to emptyDir)',
    (s) => {
      s.volumes = [
        { name: 'a', configMap: { name: 'c' } },
        { name: 'b', csi: { driver: 'd' } },
        { name: 'c', downwardAPI: {} },
        { name: 'd', emptyDir: {} },
        { name: 'e', ephemeral: { volumeClaimTemplate: { spec: {} } } },
        { name: 'f', persistentVolumeClaim: { claimName: 'x' } },
        { name: 'g', projected: { sources: [] } },
        { name: 'h', secret: { secretName: 's' } },
        { name: 'i' },
      ];
    },
  ],
  [
    R.ALLOW_PRIVILEGE_ESCALATION,
    'Windows pod without allowPrivilegeEscalation, seccomp or capabilities',
    (s) => {
      s.os = { name: 'windows' };
      delete podCtx(s).seccompProfile;
      s.containers = [{ name: 'win', image: 'mcr.microsoft.com/windows/nanoserver' }];
    },
  ],
  [
    R.RUN_AS_NON_ROOT,
    'every container sets true, the pod nothing',
    (s) => {
      delete podCtx(s).runAsNonRoot;
      ctx(s).runAsNonRoot = true;
      s.initContainers = [container('init', { runAsNonRoot: true })];
    },
  ],
  [
    R.RUN_AS_USER,
    'non-zero users, and group 0 (the optional non-root-groups control is not enforced)',
    (s) => {
      Object.assign(podCtx(s), { runAsUser: 1000, runAsGroup: 0, fsGroup: 0 });
      ctx(s).runAsUser = 1001;
    },
  ],
  [
    R.SECCOMP_RESTRICTED,
    'seccomp only on every container',
    (s) => {
      delete podCtx(s).seccompProfile;
      ctx(s).seccompProfile = { type: 'RuntimeDefault' };
      s.initContainers = [container('init', { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } })];
    },
  ],
];

describe('checkPodSecurity, one rule at a time', () => {
  test.each(VIOLATING.map(([rule, name, tweak, expected, annotations]) => [`${rule}: ${name}`, tweak, expected, annotations] as const))(
    'fails: %s',
    (_name, tweak, expected, annotations) => {
      const violations = checkPodSecurity(pod(tweak, annotations));
      expect(violations.map((v) => [v.rule, v.field])).toEqual(expected);
      for (const v of violations) {
        expect(v.level).toBe(v.rule.startsWith('baseline/') ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED);
        expect(v.message.length).toBeGreaterThan(20);
      }
    },
  );

  test.each(PASSING.map(([rule, name, tweak, annotations]) => [`${rule}: ${name}`, tweak, annotations] as const))(
    'passes: %s',
    (_name, tweak, annotations) => {
      expect(checkPodSecurity(pod(tweak, annotations))).toEqual([]);
    },
  );

  test('the compliant pod passes, and every rule has a failing and a passing case', () => {
    expect(checkPodSecurity(pod())).toEqual([]);
    for (const rule of Object.values(R)) {
      expect([rule, VIOLATING.some(([r]) => r === rule)]).toEqual([rule, true]);
      expect([rule, PASSING.some(([r]) => r === rule)]).toEqual([rule, true]);
    }
  });

  test('messages say what is wrong and what value passes', () => {
    const message = (tweak: Tweak) =>
      checkPodSecurity(pod(tweak))
        .map((v) => v.message)
        .join('\n');
    expect(
      message((s) => {
        ctx(s).capabilities.drop = ['all'];
      }),
    ).toMatch(/drops "all".*case-sensitively, write "ALL"/);
    expect(
      message((s) => {
        delete ctx(s).capabilities;
      }),
    ).toContain('container "app" does not drop ALL capabilities (drop: unset): set securityContext.capabilities.drop: ["ALL"]');
    expect(
      message((s) => {
        delete podCtx(s).seccompProfile;
      }),
    ).toContain('set seccompProfile.type "RuntimeDefault" or "Localhost" in spec.securityContext or on the container');
    expect(
      message((s) => {
        ctx(s).runAsNonRoot = false;
      }),
    ).toContain('container "app" sets runAsNonRoot false, overriding the pod\'s true: set it to true');
    expect(
      message((s) => {
        ctx(s).capabilities.add = ['SYS_ADMIN'];
      }),
    ).toMatch(/adds capability "SYS_ADMIN", outside the baseline set .*only NET_BIND_SERVICE/);
  });

  test('a Windows pod still needs runAsNonRoot and baseline', () => {
    const violations = checkPodSecurity(
      pod((s) => {
        s.os = { name: 'windows' };
        delete podCtx(s).runAsNonRoot;
        s.hostNetwork = true;
        s.containers = [{ name: 'win', image: 'w' }];
      }),
    );
    expect(violations.map((v) => v.rule)).toEqual([R.HOST_NAMESPACES, R.RUN_AS_NON_ROOT]);
  });

  test('a pod breaking everything reports each rule in rule order, baseline first', () => {
    const violations = checkPodSecurity(
      pod((s) => {
        s.hostPID = true;
        s.securityContext = { sysctls: [{ name: 'kernel.sem', value: '1' }], runAsUser: 0 };
        const securityContext = { privileged: true, capabilities: { add: ['SYS_ADMIN'] }, procMount: 'Unmasked' };
        s.containers = [{ name: 'bad', image: 'x', securityContext }];
        s.volumes = [
          { name: 'v', hostPath: { path: '/' } },
          { name: 'w', rbd: { image: 'i' } },
        ];
      }),
    );
    expect(violations.map((v) => v.rule)).toEqual([
      R.HOST_NAMESPACES,
      R.PRIVILEGED,
      R.CAPABILITIES_BASELINE,
      R.HOST_PATH_VOLUMES,
      R.PROC_MOUNT,
      R.SYSCTLS,
      R.VOLUME_TYPES,
      R.ALLOW_PRIVILEGE_ESCALATION,
      R.RUN_AS_NON_ROOT,
      R.RUN_AS_USER,
      R.SECCOMP_RESTRICTED,
      R.CAPABILITIES_RESTRICTED,
    ]);
    expect(new Set(violations.map((v) => v.level))).toEqual(new Set([PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED]));
  });
});

/** Wraps a pod template into each kind that holds one; [kind, object, path prefix of the pod spec]. */
function workloads(template: Spec): Array<[string, Spec, string]> {
  const meta = (kind: string, apiVersion: string) => ({ apiVersion, kind, metadata: { name: kind.toLowerCase() } });
  return [
    ['Pod', { ...meta('Pod', 'v1'), ...template }, 'spec'],
    ['PodTemplate', { ...meta('PodTemplate', 'v1'), template }, 'template.spec'],
    ['ReplicationController', { ...meta('ReplicationController', 'v1'), spec: { template } }, 'spec.template.spec'],
    ['Deployment', { ...meta('Deployment', 'apps/v1'), spec: { selector: {}, template } }, 'spec.template.spec'],
    ['StatefulSet', { ...meta('StatefulSet', 'apps/v1'), spec: { selector: {}, serviceName: 's', template } }, 'spec.template.spec'],
    ['DaemonSet', { ...meta('DaemonSet', 'apps/v1'), spec: { selector: {}, template } }, 'spec.template.spec'],
    ['ReplicaSet', { ...meta('ReplicaSet', 'apps/v1'), spec: { selector: {}, template } }, 'spec.template.spec'],
    ['Job', { ...meta('Job', 'batch/v1'), spec: { template } }, 'spec.template.spec'],
    [
      'CronJob',
      { ...meta('CronJob', 'batch/v1'), spec: { schedule: '@daily', jobTemplate: { spec: { template } } } },
      'spec.jobTemplate.spec.template.spec',
    ],
  ];
}

describe('workload kinds', () => {
  const violating = (): Spec => ({
    metadata: { annotations: { [APP_ARMOR]: 'unconfined' } },
    spec: {
      containers: [{ name: 'app', image: 'x' }],
      initContainers: [{ name: 'init', image: 'x', securityContext: { runAsNonRoot: false } }],
    },
  });

  test.each(workloads(violating()))('%s: the pod spec and its template metadata are found and checked', (_kind, object, prefix) => {
    const metadataPrefix = prefix.replace(/spec$/, 'metadata');
    expect(findPodSpec(object)).toMatchObject({ specPath: prefix, metadataPath: metadataPrefix });
    expect(checkPodSecurity(object).map((v) => v.field)).toEqual([
      `${metadataPrefix}.annotations["${APP_ARMOR}"]`,
      `${prefix}.containers[0].securityContext.allowPrivilegeEscalation`,
      `${prefix}.initContainers[0].securityContext.allowPrivilegeEscalation`,
      `${prefix}.containers[0].securityContext.runAsNonRoot`,
      `${prefix}.initContainers[0].securityContext.runAsNonRoot`,
      `${prefix}.containers[0].securityContext.seccompProfile`,
      `${prefix}.initContainers[0].securityContext.seccompProfile`,
      `${prefix}.containers[0].securityContext.capabilities.drop`,
      `${prefix}.initContainers[0].securityContext.capabilities.drop`,
    ]);
  });

  test.each(workloads({ spec: compliantSpec() }))('%s: a compliant pod spec passes', (_kind, object) => {
    expect(checkPodSecurity(object)).toEqual([]);
  });

  test.each([
    ['a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} }],
    [
      'a Job of another API group',
      { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', spec: { template: { spec: violating().spec } } },
    ],
    ['a Deployment without a template', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: {} }],
    ['null', null],
    ['a string', 'kind: Pod'],
  ])('%s holds no pod spec', (_name, object) => {
    expect(findPodSpec(object)).toBeUndefined();
    expect(checkPodSecurity(object)).toEqual([]);
  });
});

describe('a whole rendered chart', () => {
  const chart = (): unknown[] => [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: {} },
    null,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template: { spec: { ...compliantSpec(), hostIPC: true } } },
    },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { template: { spec: compliantSpec() } } },
  ];

  test('reports each object holding a pod spec, by kind and name, in order', () => {
    expect(checkPodSecurityAll(chart())).toEqual([
      {
        kind: 'Deployment',
        name: 'web',
        violations: [expect.objectContaining({ rule: R.HOST_NAMESPACES, field: 'spec.template.spec.hostIPC' })],
      },
      { kind: 'Job', name: 'migrate', violations: [] },
    ]);
    expect(checkPodSecurityAll([{ apiVersion: 'v1', kind: 'Pod', spec: compliantSpec() }])).toEqual([
      { kind: 'Pod', name: '<unnamed>', violations: [] },
    ]);
  });

  test('formats one line per violation', () => {
    expect(formatPodSecurityReports(checkPodSecurityAll(chart()))).toBe(
      'Deployment/web: baseline/hostNamespaces at spec.template.spec.hostIPC: ' +
        'the pod shares a host namespace (hostIPC: true): remove hostIPC or set it to false',
    );
  });

  test('expectRestrictedPods throws a readable list, and passes compliant pods', () => {
    expect(() => expectRestrictedPods(chart())).toThrow(
      '1 Pod Security Standards "restricted" (Kubernetes 1.27) violation(s) in Deployment/web:\n' +
        'Deployment/web: baseline/hostNamespaces at spec.template.spec.hostIPC:',
    );
    expect(() => expectRestrictedPods(chart().slice(3))).not.toThrow();
    expect(restrictedViolationIds(chart())).toEqual(['Deployment/web baseline/hostNamespaces spec.template.spec.hostIPC']);
  });
});
