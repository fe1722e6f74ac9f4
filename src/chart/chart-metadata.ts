import { describeValue, HelmSynthError } from '../errors';

declare const chartNameBrand: unique symbol;
declare const semVerBrand: unique symbol;

/** A chart name: a DNS-1123 label (lower-case letters, digits, `-`), at most 53 characters. */
export type ChartName = string & { readonly [chartNameBrand]: true };
/** A SemVer 2 version string such as `1.2.3` or `1.0.0-rc.1+build.5`. */
export type SemVer = string & { readonly [semVerBrand]: true };

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks a chart name. 53 characters leaves room for Helm's release-name suffixes. */
export function chartName(name: unknown, where: string): ChartName {
  if (typeof name !== 'string' || name.length > 53 || !DNS_LABEL.test(name)) {
    throw new HelmSynthError(where, `chart name ${describeValue(name)} must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 53 characters`);
  }
  return name as ChartName;
}

/** Checks a SemVer 2 version. */
export function semVer(version: unknown, where: string, what = 'chart version'): SemVer {
  if (typeof version !== 'string' || !SEMVER.test(version)) {
    throw new HelmSynthError(where, `${what} ${describeValue(version)} is not a SemVer 2 version such as 1.2.3 or 1.0.0-rc.1`);
  }
  return version as SemVer;
}

/** Kinds that are not namespaced: they get no `metadata.namespace`. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService', 'VolumeAttachment',
  'PodSecurityPolicy', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'FlowSchema', 'PriorityLevelConfiguration', 'CertificateSigningRequest',
]);
