/**
 * The fields of built-in Kubernetes kinds that an update may not change, as the API server's
 * validation enforces them (`ValidateImmutableField` and the per-kind `Validate*Update` functions),
 * cross-checked with the "This field is immutable" notes of the API reference (Kubernetes 1.27 to
 * 1.34). Kinds with rules of their own (StatefulSet, Service, PersistentVolumeClaim) are in
 * `upgrade-rules.ts`; this table holds the rest, one row per kind.
 */
export interface ImmutableFieldRule {
  /** API group (`''` for the core group). */
  readonly group: string;
  /** Kinds the row applies to. */
  readonly kinds: readonly string[];
  /** Dotted field paths from the object root, each compared whole. */
  readonly fields: readonly string[];
  /**
   * When the fields are immutable, read from the baseline object.
   * @default always
   */
  readonly when?: (baseline: Readonly<Record<string, any>>) => boolean;
  /** What is immutable, for the finding's message (`{kind}` stands for the object's kind). */
  readonly reason: string;
  /**
   * What to do instead.
   * @default nothing said
   */
  readonly fix?: string;
}

const markedImmutable = (baseline: Readonly<Record<string, any>>): boolean => baseline.immutable === true;

/** Every immutable-field rule checked by `check-upgrade` besides the kinds with rules of their own. */
export const IMMUTABLE_FIELD_RULES: readonly ImmutableFieldRule[] = [
  {
    group: 'apps',
    kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'],
    fields: ['spec.selector'],
    reason: "a {kind}'s selector is immutable",
    fix: 'keep the selector, or give the workload a new name (Helm then deletes and recreates it)',
  },
  {
    group: 'extensions',
    kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'],
    fields: ['spec.selector'],
    reason: "a {kind}'s selector is immutable",
    fix: 'keep the selector, or give the workload a new name (Helm then deletes and recreates it)',
  },
  {
    group: 'batch',
    kinds: ['Job'],
    fields: ['spec.selector', 'spec.template', 'spec.completionMode', 'spec.podFailurePolicy'],
    reason: "a Job's template, selector, completionMode and podFailurePolicy are immutable and Helm patches a release Job in place",
    fix: 'the upgrade fails unless the Job is already gone (ttlSecondsAfterFinished); run it as a hook (Helm deletes and recreates hooks) or name it per version',
  },
  {
    group: 'batch',
    kinds: ['Job'],
    fields: ['spec.completions'],
    when: (baseline) => baseline.spec?.completionMode !== 'Indexed',
    reason: "a NonIndexed Job's completions is immutable (only an Indexed Job may change completions, together with parallelism)",
  },
  {
    group: '',
    kinds: ['ConfigMap'],
    fields: ['data', 'binaryData', 'immutable'],
    when: markedImmutable,
    reason: 'the released ConfigMap has immutable: true, so its data cannot change and it cannot be made mutable again',
    fix: 'give the changed ConfigMap a new name (e.g. with a content hash) so Helm creates it',
  },
  {
    group: '',
    kinds: ['Secret'],
    fields: ['data', 'stringData', 'binaryData', 'immutable'],
    when: markedImmutable,
    reason: 'the released Secret has immutable: true, so its data cannot change and it cannot be made mutable again',
    fix: 'give the changed Secret a new name (e.g. with a content hash) so Helm creates it',
  },
  {
    group: '',
    kinds: ['Secret'],
    fields: ['type'],
    reason: "a Secret's type is immutable",
    fix: 'give the Secret a new name to change it',
  },
  {
    group: '',
    kinds: ['PersistentVolume'],
    fields: [
      'spec.volumeMode',
      'spec.awsElasticBlockStore',
      'spec.azureDisk',
      'spec.azureFile',
      'spec.cephfs',
      'spec.cinder',
      'spec.csi',
      'spec.fc',
      'spec.flexVolume',
      'spec.flocker',
      'spec.gcePersistentDisk',
      'spec.glusterfs',
      'spec.hostPath',
      'spec.iscsi',
      'spec.local',
      'spec.nfs',
      'spec.photonPersistentDisk',
      'spec.portworxVolume',
      'spec.quobyte',
      'spec.rbd',
      'spec.scaleIO',
      'spec.storageos',
      'spec.vsphereVolume',
    ],
    reason: "a PersistentVolume's volume source and volumeMode are immutable after creation",
  },
  {
    group: 'rbac.authorization.k8s.io',
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    fields: ['roleRef'],
    reason: "a binding's roleRef is immutable",
    fix: 'give the binding a new name so Helm deletes the old one and creates the new one',
  },
  {
    group: 'storage.k8s.io',
    kinds: ['StorageClass'],
    fields: ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'],
    reason: "a StorageClass's provisioner, parameters, reclaimPolicy and volumeBindingMode are immutable",
    fix: 'create a StorageClass of a new name',
  },
  {
    group: 'storage.k8s.io',
    kinds: ['CSIDriver'],
    fields: ['spec.attachRequired', 'spec.fsGroupPolicy', 'spec.podInfoOnMount', 'spec.volumeLifecycleModes'],
    reason: 'these CSIDriver spec fields are immutable',
    fix: 'the driver object must be deleted and created again',
  },
  {
    group: 'storage.k8s.io',
    kinds: ['CSIStorageCapacity'],
    fields: ['nodeTopology', 'storageClassName'],
    reason: "a CSIStorageCapacity's nodeTopology and storageClassName are immutable",
  },
  {
    group: 'storage.k8s.io',
    kinds: ['VolumeAttachment'],
    fields: ['spec'],
    reason: "a VolumeAttachment's spec is immutable",
  },
  {
    group: 'scheduling.k8s.io',
    kinds: ['PriorityClass'],
    fields: ['value', 'preemptionPolicy'],
    reason: "a PriorityClass's value and preemptionPolicy are immutable",
    fix: 'create a PriorityClass of a new name',
  },
  {
    group: 'networking.k8s.io',
    kinds: ['IngressClass'],
    fields: ['spec.controller'],
    reason: "an IngressClass's controller is immutable",
  },
  {
    group: 'node.k8s.io',
    kinds: ['RuntimeClass'],
    fields: ['handler'],
    reason: "a RuntimeClass's handler is immutable",
  },
  {
    group: 'discovery.k8s.io',
    kinds: ['EndpointSlice'],
    fields: ['addressType'],
    reason: "an EndpointSlice's addressType is immutable",
  },
  {
    group: 'certificates.k8s.io',
    kinds: ['CertificateSigningRequest'],
    fields: ['spec'],
    reason: "a CertificateSigningRequest's spec is immutable after creation",
  },
];

/** The pod spec fields an update of a bare Pod may change; every other field is immutable. */
export const POD_MUTABLE_SPEC_FIELDS: ReadonlySet<string> = new Set(['activeDeadlineSeconds', 'tolerations', 'schedulingGates']);

/** The container fields an update of a bare Pod may change. */
export const POD_MUTABLE_CONTAINER_FIELDS: ReadonlySet<string> = new Set(['image']);
