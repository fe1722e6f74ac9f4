/** Facts about Kubernetes kinds that synthesis needs. */

/** Kinds that are not namespaced: they get no `metadata.namespace`. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'VolumeAttachment',
  'PodSecurityPolicy',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'CertificateSigningRequest',
]);

/** Where the pod spec is in each kind that runs pods. */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Where the pod template's metadata is in each kind that has one (a Pod's is its own metadata). */
export const POD_METADATA_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['metadata'],
  PodTemplate: ['template', 'metadata'],
  Job: ['spec', 'template', 'metadata'],
  Deployment: ['spec', 'template', 'metadata'],
  StatefulSet: ['spec', 'template', 'metadata'],
  DaemonSet: ['spec', 'template', 'metadata'],
  ReplicaSet: ['spec', 'template', 'metadata'],
  ReplicationController: ['spec', 'template', 'metadata'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
};

/** The label cdk8s-plus selects pods by: a hash of the construct path, replaced by the chart's selector labels. */
export const CDK8S_SELECTOR_LABEL = 'cdk8s.io/metadata.addr';

/** Labels the chart sets on every object through `<chart>.labels`; constructs may not set them. */
export const STANDARD_LABELS: readonly string[] = [
  'helm.sh/chart',
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/component',
];

/** The kind of CustomResourceDefinitions, which go to `crds/` untemplated. */
export const CRD_KIND = 'CustomResourceDefinition';

/** Reads a nested field of a JSON object. */
export function jsonAt(json: unknown, path: readonly string[]): unknown {
  let node = json;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
