/**
 * helm-synth: charts, values, templates, hooks and workloads, and the app that synthesizes them.
 * The other entry points are `helm-synth/postgres`, `helm-synth/release` and `helm-synth/testing`
 * (docs/API.md lists every export and why it is public). Everything else in the package is internal
 * and may change.
 */

// Errors
export { HelmSynthError } from './errors';
export type { Problem } from './errors';

// Text rules: each a check and the values.schema.json pattern that accepts the same strings
export {
  DNS_LABEL_RULE,
  DNS_SUBDOMAIN_RULE,
  IMAGE_DIGEST_RULE,
  IMAGE_REGISTRY_RULE,
  IMAGE_REPOSITORY_RULE,
  IMAGE_TAG_RULE,
  orEmpty,
  orLiteral,
  QUANTITY_RULE,
  SECRET_KEY_RULE,
} from './tokens/checks';
export type { StringSchema, TextRule } from './tokens/checks';

// Tokens and release fields
export { Release } from './tokens/release';
export { Token, TokenUse } from './tokens/token';

// Values and conditions
export { Condition } from './values/condition';
export type { ConditionOperand } from './values/condition';
export { BooleanValue, EnumValue, ListValue, NumericValue, ObjectValue, SecretValue, StringValue, Value, ValueType } from './values/value';
export type {
  EnumValueOptions,
  JsonValue,
  ListValueOptions,
  NumericValueOptions,
  ObjectValueOptions,
  SecretValueOptions,
  StringValueOptions,
  ValueDeclaration,
  ValueFields,
  ValueOptions,
  ValueOwner,
} from './values/value';
export { Values } from './values/values';

// Typed values trees: chart.values.define, values blocks of constructs, ValuesOf
export { ValueSpec, ValuesGroupSpec } from './values/value-spec';
export type {
  DefaultsOf,
  Flatten,
  JsonTypeOf,
  ListItemOf,
  MapEntryOf,
  RequiredInValues,
  RequiredOf,
  TypedValue,
  ValuePhantom,
  ValueSpecOptions,
  ValuesOf,
  ValuesShape,
  ValuesShapeEntry,
  ValuesTree,
} from './values/value-spec';
export type { ChartValuesOf, HelmChartBaseValues } from './chart/chart-values';

// Environments (values-<name>.yaml) and dependencies on charts of the same app
export { ENVIRONMENT_NAME_RULE } from './chart/environment';
export type {
  ChartEnvironment,
  ChartOverrides,
  DependencyValues,
  EnvironmentValues,
  IsSecret,
  NullWhereRemovable,
  ValuesOverrides,
} from './chart/environment';
export type { HelmChartDependencyOptions, LocalChartDependency } from './chart/helm-chart';
export type { SecretString } from './values/value-spec';

// The chart model
export type { ChartName, SemVer, SemVerRange } from './chart/chart-metadata';
export { ChartType, HelmChart } from './chart/helm-chart';
export type { ChartDependency, ChartInstall, ChartInstallProps, ChartMaintainer, ChartMetadata, HelmChartProps } from './chart/helm-chart';
export { FieldOperation, Template } from './chart/template';
export type { FieldPathSegment, ReplacingValue } from './chart/template';

// Hooks
export { Hook } from './hooks/hook';
export type { HookOptions, HookProps } from './hooks/hook';
export { HookJob } from './hooks/hook-job';
export type { HookJobBaseProps, HookJobOptions, HookJobProps } from './hooks/hook-job';
export type { HookResources, ResourceAmounts } from './hooks/hook-pod';
export { HookDeletePolicy, HookEvent, HookOutputLogPolicy } from './hooks/hook-types';
export { PreInstallJob } from './hooks/pre-install-job';
export type { PreInstallJobProps } from './hooks/pre-install-job';
export { ServiceConnectionTest } from './hooks/service-connection-test';
export type { ServiceConnectionTestProps } from './hooks/service-connection-test';

// Workloads: helm create's standard values and autoscaling
export { Autoscaling } from './workloads/autoscaling';
export type { AutoscaleOptions, AutoscalingOptions, AutoscalingProps } from './workloads/autoscaling';
export { RESTRICTED_POD_SECURITY_CONTEXT, RESTRICTED_SECURITY_CONTEXT, StandardValues } from './workloads/standard-values';
export type { StandardServiceAccountDefaults, StandardServiceAccountProps, StandardValuesProps } from './workloads/standard-values';

// Synthesis
export type { ChartFiles } from './synth/chart-files';
export { HelmApp } from './synth/helm-app';
export type { HelmAppProps } from './synth/helm-app';
export type { SynthResult, SynthWarning } from './synth/synth-result';

// What writing the output folder did, and the errors it raises
export type { ChartOutputReport, OutputReport } from './output/output-writer';
export { OutputIoError } from './output/output-error';
export { LockBusyError } from './output/output-lock';

// The lifecycle plan, as `helm-synth plan --json` prints it (for tools reading it)
export { LifecycleOperation } from './plan/lifecycle-plan';
export type { HookStep, LifecyclePlan, OperationPlan, PlannedHook, PlannedObject, ResourceStep } from './plan/lifecycle-plan';

/*
 * Deprecated: PostgreSQL moved to `helm-synth/postgres`. These re-exports stay for one minor version
 * (CHANGELOG.md); each carries `@deprecated` so that editors strike it through.
 */
export {
  /** @deprecated Import `BitnamiImageRole` from `helm-synth/postgres`; this re-export stays for one minor version. */
  BitnamiImageRole,
  /** @deprecated Import `BitnamiLayout` from `helm-synth/postgres`; this re-export stays for one minor version. */
  BitnamiLayout,
  /** @deprecated Import `DatabasePlacement` from `helm-synth/postgres`; this re-export stays for one minor version. */
  DatabasePlacement,
  /** @deprecated Import `DbBootstrapHook` from `helm-synth/postgres`; this re-export stays for one minor version. */
  DbBootstrapHook,
  /** @deprecated Import `InsecureImageCheck` from `helm-synth/postgres`; this re-export stays for one minor version. */
  InsecureImageCheck,
  /** @deprecated Import `PostgresConnection` from `helm-synth/postgres`; this re-export stays for one minor version. */
  PostgresConnection,
  /** @deprecated Import `PostgresRelease` from `helm-synth/postgres`; this re-export stays for one minor version. */
  PostgresRelease,
} from './postgres';
export type {
  /** @deprecated Import `BitnamiImage` from `helm-synth/postgres`; this re-export stays for one minor version. */
  BitnamiImage,
  /** @deprecated Import `BitnamiPostgresqlVersion` from `helm-synth/postgres`; this re-export stays for one minor version. */
  BitnamiPostgresqlVersion,
  /** @deprecated Import `DbBootstrapHookProps` from `helm-synth/postgres`; this re-export stays for one minor version. */
  DbBootstrapHookProps,
  /** @deprecated Import `ExternalPostgresOptions` from `helm-synth/postgres`; this re-export stays for one minor version. */
  ExternalPostgresOptions,
  /** @deprecated Import `ExternalPostgresProps` from `helm-synth/postgres`; this re-export stays for one minor version. */
  ExternalPostgresProps,
  /** @deprecated Import `PinnedBitnamiVersion` from `helm-synth/postgres`; this re-export stays for one minor version. */
  PinnedBitnamiVersion,
  /** @deprecated Import `PostgresImage` from `helm-synth/postgres`; this re-export stays for one minor version. */
  PostgresImage,
  /** @deprecated Import `PostgresImages` from `helm-synth/postgres`; this re-export stays for one minor version. */
  PostgresImages,
  /** @deprecated Import `PostgresPersistence` from `helm-synth/postgres`; this re-export stays for one minor version. */
  PostgresPersistence,
  /** @deprecated Import `PostgresReleaseProps` from `helm-synth/postgres`; this re-export stays for one minor version. */
  PostgresReleaseProps,
  /** @deprecated Import `ReleaseScopedPostgresOptions` from `helm-synth/postgres`; this re-export stays for one minor version. */
  ReleaseScopedPostgresOptions,
  /** @deprecated Import `ReleaseScopedPostgresProps` from `helm-synth/postgres`; this re-export stays for one minor version. */
  ReleaseScopedPostgresProps,
  /** @deprecated Import `SchemaStep` from `helm-synth/postgres`; this re-export stays for one minor version. */
  SchemaStep,
  /** @deprecated Import `SecretKeyRef` from `helm-synth/postgres`; this re-export stays for one minor version. */
  SecretKeyRef,
} from './postgres';
