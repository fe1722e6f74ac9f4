import { HelmSynthError } from '../errors';
import { isSemVerRange } from './versions';

/** Where the table below comes from. */
export const KUBE_API_DEPRECATIONS_SOURCE =
  'Kubernetes Deprecated API Migration Guide, https://kubernetes.io/docs/reference/using-api/deprecation-guide/ (as of Kubernetes 1.34)';

/** One API version of a kind that Kubernetes deprecated, and removed where it did. */
export interface KubeApiDeprecation {
  /** `group/version` (`v1` for the core group). */
  readonly apiVersion: string;
  /** The kinds of that API version it applies to. */
  readonly kinds: readonly string[];
  /** The Kubernetes minor version that deprecated it (`1.21`). */
  readonly deprecatedIn: string;
  /**
   * The Kubernetes minor version that no longer serves it (`1.25`).
   * @default not removed yet
   */
  readonly removedIn?: string;
  /** What to use instead: an API version, or a sentence when there is no direct replacement. */
  readonly replacement: string;
}

const workloads = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'];
const rbac = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
const flowControl = ['FlowSchema', 'PriorityLevelConfiguration'];

/** The deprecated and removed API versions of built-in kinds, from the guide named by `KUBE_API_DEPRECATIONS_SOURCE`. */
export const KUBE_API_DEPRECATIONS: readonly KubeApiDeprecation[] = [
  { apiVersion: 'extensions/v1beta1', kinds: workloads, deprecatedIn: '1.8', removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta1', kinds: workloads, deprecatedIn: '1.9', removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', kinds: workloads, deprecatedIn: '1.9', removedIn: '1.16', replacement: 'apps/v1' },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['NetworkPolicy'],
    deprecatedIn: '1.9',
    removedIn: '1.16',
    replacement: 'networking.k8s.io/v1',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['PodSecurityPolicy'],
    deprecatedIn: '1.11',
    removedIn: '1.16',
    replacement: 'policy/v1beta1',
  },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], deprecatedIn: '1.14', removedIn: '1.22', replacement: 'networking.k8s.io/v1' },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['Ingress', 'IngressClass'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'networking.k8s.io/v1',
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    deprecatedIn: '1.16',
    removedIn: '1.22',
    replacement: 'admissionregistration.k8s.io/v1',
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kinds: ['CustomResourceDefinition'],
    deprecatedIn: '1.16',
    removedIn: '1.22',
    replacement: 'apiextensions.k8s.io/v1',
  },
  {
    apiVersion: 'apiregistration.k8s.io/v1beta1',
    kinds: ['APIService'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'apiregistration.k8s.io/v1',
  },
  {
    apiVersion: 'authentication.k8s.io/v1beta1',
    kinds: ['TokenReview'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'authentication.k8s.io/v1',
  },
  {
    apiVersion: 'authorization.k8s.io/v1beta1',
    kinds: ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'authorization.k8s.io/v1',
  },
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kinds: ['CertificateSigningRequest'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'certificates.k8s.io/v1',
  },
  {
    apiVersion: 'coordination.k8s.io/v1beta1',
    kinds: ['Lease'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'coordination.k8s.io/v1',
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1beta1',
    kinds: rbac,
    deprecatedIn: '1.17',
    removedIn: '1.22',
    replacement: 'rbac.authorization.k8s.io/v1',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1beta1',
    kinds: ['PriorityClass'],
    deprecatedIn: '1.14',
    removedIn: '1.22',
    replacement: 'scheduling.k8s.io/v1',
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'storage.k8s.io/v1',
  },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], deprecatedIn: '1.21', removedIn: '1.25', replacement: 'batch/v1' },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kinds: ['EndpointSlice'],
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacement: 'discovery.k8s.io/v1',
  },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], deprecatedIn: '1.19', removedIn: '1.25', replacement: 'events.k8s.io/v1' },
  {
    apiVersion: 'autoscaling/v2beta1',
    kinds: ['HorizontalPodAutoscaler'],
    deprecatedIn: '1.22',
    removedIn: '1.25',
    replacement: 'autoscaling/v2',
  },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], deprecatedIn: '1.21', removedIn: '1.25', replacement: 'policy/v1' },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodSecurityPolicy'],
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacement: 'no replacement: use Pod Security Admission (namespace labels) or a third-party admission webhook',
  },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], deprecatedIn: '1.20', removedIn: '1.25', replacement: 'node.k8s.io/v1' },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    kinds: flowControl,
    deprecatedIn: '1.23',
    removedIn: '1.26',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    apiVersion: 'autoscaling/v2beta2',
    kinds: ['HorizontalPodAutoscaler'],
    deprecatedIn: '1.23',
    removedIn: '1.26',
    replacement: 'autoscaling/v2',
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIStorageCapacity'],
    deprecatedIn: '1.24',
    removedIn: '1.27',
    replacement: 'storage.k8s.io/v1',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    kinds: flowControl,
    deprecatedIn: '1.26',
    removedIn: '1.29',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kinds: flowControl,
    deprecatedIn: '1.29',
    removedIn: '1.32',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    apiVersion: 'v1',
    kinds: ['ComponentStatus'],
    deprecatedIn: '1.19',
    replacement: "no replacement: query the components' health endpoints",
  },
  { apiVersion: 'v1', kinds: ['Endpoints'], deprecatedIn: '1.33', replacement: 'discovery.k8s.io/v1 EndpointSlice' },
];

/** How serious a use of a deprecated API is. */
export enum KubeApiSeverity {
  /** Removed in a Kubernetes version the chart admits: the install fails there. */
  REMOVED = 'removed',
  /** Deprecated in a version the chart admits: it still works, with a warning from the API server. */
  DEPRECATED = 'deprecated',
}

/** A use of a deprecated or removed API version in a chart. */
export interface KubeApiFinding {
  /** Removed or only deprecated. */
  readonly severity: KubeApiSeverity;
  /** The table row that matched. */
  readonly deprecation: KubeApiDeprecation;
  /** One sentence naming the API, the version, and the replacement. */
  readonly message: string;
}

/**
 * Checks one object's `apiVersion` and `kind` against the Kubernetes versions a chart admits: a
 * SemVer range (Chart.yaml's `kubeVersion`, undefined for "every version") or one version (`1.29`,
 * `v1.29.3`), as `check-upgrade --kube-version` gives. Returns undefined when the API is current there.
 */
export function checkKubeApi(apiVersion: string, kind: string, kubeVersion: string | undefined): KubeApiFinding | undefined {
  const deprecation = KUBE_API_DEPRECATIONS.find((row) => row.apiVersion === apiVersion && row.kinds.includes(kind));
  if (!deprecation) return undefined;
  const single = kubeVersion === undefined ? undefined : SINGLE_VERSION.exec(kubeVersion.trim());
  const range = kubeVersion === undefined ? '*' : single ? `1.${single[2]}.x` : checkedRange(kubeVersion);
  const why = (minor: string): string =>
    kubeVersion === undefined
      ? 'the chart sets no kubeVersion, so it admits every version'
      : single
        ? `the target is Kubernetes ${kubeVersion.trim()}`
        : `kubeVersion ${JSON.stringify(kubeVersion)} admits 1.${firstAdmitted(range, minor)}`;
  const what = `${apiVersion} ${kind}`;
  const instead = deprecation.replacement.includes(' ') ? deprecation.replacement : `use ${deprecation.replacement}`;
  if (deprecation.removedIn && admitsFrom(range, deprecation.removedIn)) {
    const limit = `<${deprecation.removedIn}.0-0`;
    return {
      severity: KubeApiSeverity.REMOVED,
      deprecation,
      message: `${what} was removed in Kubernetes ${deprecation.removedIn} (${why(deprecation.removedIn)}): ${instead}${
        !single && admitsBefore(range, deprecation.removedIn) ? `, or limit kubeVersion to "${limit}"` : ''
      }`,
    };
  }
  if (admitsFrom(range, deprecation.deprecatedIn)) {
    return {
      severity: KubeApiSeverity.DEPRECATED,
      deprecation,
      message: `${what} is deprecated since Kubernetes ${deprecation.deprecatedIn}${deprecation.removedIn ? ` and removed in ${deprecation.removedIn}` : ''} (${why(deprecation.deprecatedIn)}): ${instead}`,
    };
  }
  return undefined;
}

const SINGLE_VERSION = /^v?(1)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/;
const LAST_MINOR = 99;

/**
 * True when a Kubernetes version of that minor or a later one satisfies the range: a release
 * (`1.25.0`, `1.25.999`) or a provider build (`1.25.1-eks-1`, a SemVer prerelease, which ranges
 * written `>=1.25.0-0` admit). `1.25.0-0` itself is not tried: `<1.25.0` must not admit 1.25.
 */
/** The lowest Kubernetes minor from `minor` on that the range admits (`25` for `>=1.25.0-0`). */
function firstAdmitted(range: string, minor: string): number {
  const first = Number(minor.split('.')[1]);
  return minorsAdmitted(range).find((m) => m >= first) ?? first;
}

function admitsFrom(range: string, minor: string): boolean {
  const first = Number(minor.split('.')[1]);
  return minorsAdmitted(range).some((m) => m >= first);
}

function admitsBefore(range: string, minor: string): boolean {
  const first = Number(minor.split('.')[1]);
  return minorsAdmitted(range).some((m) => m < first);
}

function minorsAdmitted(range: string): number[] {
  const semver = require('semver') as typeof import('semver');
  const minors: number[] = [];
  for (let m = 0; m <= LAST_MINOR; m++) {
    if ([`1.${m}.0`, `1.${m}.1-0`, `1.${m}.999`].some((v) => semver.satisfies(v, range, { includePrerelease: true }))) minors.push(m);
  }
  return minors;
}

function checkedRange(range: string): string {
  if (!isSemVerRange(range)) {
    throw new HelmSynthError('kubeVersion', `${JSON.stringify(range)} is neither a Kubernetes version such as 1.29 nor a SemVer range`);
  }
  return range;
}
