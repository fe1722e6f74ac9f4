/**
 * helm-synth/release: the library functions behind `helm-synth package`, `push`, `verify`,
 * `dependency build`, `check-upgrade` and `types`, for tools that run them without the CLI. They
 * read and write chart folders and archives, as the commands do; everything else in src/release/
 * (archive, index.yaml, OCI and cache internals) is CLI-only and may change.
 */

// package
export { chartDirectories, PackagedChart, PackageOptions, PackageResult, packageCharts, WriteStatus } from './package-charts';

// push
export { PushChartOptions, PushedChart, pushChartFile, PushStatus } from './oci/push-chart';
export { RegistryConnectionOptions } from './oci/registry-client';
export { RegistryCredentials } from './oci/registry-credentials';

// provenance: sign and verify
export { SignedChart, signChartFile, SignOptions, VerifiedChart, verifyChart } from './provenance';

// dependency build
export { ArchiveOrigin, BuiltDependency, buildDependencies, DependencyBuildOptions, DependencyBuildReport } from './dependency-build';

// check-upgrade
export {
  ChartUpgradeReport,
  ChartUpgradeSettings,
  checkUpgrade,
  formatUpgradeReports,
  hasUpgradeErrors,
  UpgradeCheckOptions,
} from './upgrade-check';
export { FindingSeverity, UpgradeFinding } from './upgrade-rules';
export { UpgradeAcknowledgement } from './upgrade-acknowledgements';

// types
export { valuesTypes, valuesTypesOfChart, ValuesTypesOptions } from './values-types';
