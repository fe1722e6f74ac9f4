/**
 * helm-synth/release: the library functions behind `helm-synth package`, `push`, `verify`,
 * `dependency build`, `check-upgrade` and `types`, for tools that run them without the CLI. They
 * read and write chart folders and archives, as the commands do; everything else in src/release/
 * (archive, index.yaml, OCI and cache internals) is CLI-only and may change.
 */

// package
export { chartDirectories, packageCharts, WriteStatus } from './package-charts';
export type { PackagedChart, PackageOptions, PackageResult } from './package-charts';

// push
export { pushChartFile, PushStatus } from './oci/push-chart';
export type { PushChartOptions, PushedChart } from './oci/push-chart';
export type { RegistryConnectionOptions } from './oci/registry-client';
export type { RegistryCredentials } from './oci/registry-credentials';

// provenance: sign and verify
export { signChartFile, verifyChart } from './provenance';
export type { SignedChart, SignOptions, VerifiedChart } from './provenance';

// dependency build
export { ArchiveOrigin, buildDependencies } from './dependency-build';
export type { BuiltDependency, DependencyBuildOptions, DependencyBuildReport } from './dependency-build';

// check-upgrade
export { checkUpgrade, formatUpgradeReports, hasUpgradeErrors } from './upgrade-check';
export type { ChartUpgradeReport, ChartUpgradeSettings, UpgradeCheckOptions } from './upgrade-check';
export { FindingSeverity } from './upgrade-rules';
export type { UpgradeFinding } from './upgrade-rules';
export type { UpgradeAcknowledgement } from './upgrade-acknowledgements';

// types
export { valuesTypes, valuesTypesOfChart } from './values-types';
export type { ValuesTypesOptions } from './values-types';
