/**
 * helm-synth: charts, values, templates, hooks and workloads, and the app that synthesizes them.
 * The other entry points are `helm-synth/postgres`, `helm-synth/release` and `helm-synth/testing`
 * (docs/API.md lists every export and why it is public). Everything else in the package is internal
 * and may change.
 */

// Errors
export { HelmSynthError, Problem } from './errors';

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
  StringSchema,
  TextRule,
} from './tokens/checks';

// Tokens and release fields
export { Release } from './tokens/release';
export { Token, TokenUse } from './tokens/token';

// Values and conditions
export { Condition, ConditionOperand } from './values/condition';
export {
  BooleanValue,
  EnumValue,
  EnumValueOptions,
  JsonValue,
  ListValue,
  ListValueOptions,
  NumericValue,
  NumericValueOptions,
  ObjectValue,
  ObjectValueOptions,
  SecretValue,
  SecretValueOptions,
  StringValue,
  StringValueOptions,
  Value,
  ValueDeclaration,
  ValueFields,
  ValueOptions,
  ValueOwner,
  ValueType,
} from './values/value';
export { Values } from './values/values';

// Typed values trees: chart.values.define, values blocks of constructs, ValuesOf
export {
  DefaultsOf,
  Flatten,
  JsonTypeOf,
  ListItemOf,
  MapEntryOf,
  RequiredInValues,
  RequiredOf,
  TypedValue,
  ValuePhantom,
  ValueSpec,
  ValueSpecOptions,
  ValuesGroupSpec,
  ValuesOf,
  ValuesShape,
  ValuesShapeEntry,
  ValuesTree,
} from './values/value-spec';
export { ChartValuesOf, HelmChartBaseValues } from './chart/chart-values';

// Environments (values-<name>.yaml) and dependencies on charts of the same app
export { ChartEnvironment, ChartOverrides, ENVIRONMENT_NAME_RULE, EnvironmentValues, ValuesOverrides } from './chart/environment';
export { HelmChartDependencyOptions, LocalChartDependency } from './chart/helm-chart';

// Type gaps of typed values: dependency keys in environments, null removals, secrets left out
export { DependencyValues, IsSecret, NullWhereRemovable } from './chart/environment';
export { SecretString } from './values/value-spec';

// The chart model
export { ChartName, SemVer, SemVerRange } from './chart/chart-metadata';
export {
  ChartDependency,
  ChartInstallProps,
  ChartMaintainer,
  ChartMetadata,
  ChartType,
  HelmChart,
  HelmChartProps,
} from './chart/helm-chart';
export { FieldOperation, FieldPathSegment, ReplacingValue, Template } from './chart/template';

// Hooks
export { Hook, HookProps } from './hooks/hook';
export { HookJob, HookJobOptions, HookJobProps } from './hooks/hook-job';
export { HookResources, ResourceAmounts } from './hooks/hook-pod';
export { HookDeletePolicy, HookEvent, HookOutputLogPolicy } from './hooks/hook-types';
export { PreInstallJob, PreInstallJobProps } from './hooks/pre-install-job';
export { ServiceConnectionTest, ServiceConnectionTestProps } from './hooks/service-connection-test';

// Workloads: helm create's standard values and autoscaling
export { AutoscaleOptions, Autoscaling, AutoscalingOptions, AutoscalingProps } from './workloads/autoscaling';
export {
  RESTRICTED_POD_SECURITY_CONTEXT,
  RESTRICTED_SECURITY_CONTEXT,
  StandardServiceAccountProps,
  StandardValues,
  StandardValuesProps,
} from './workloads/standard-values';

// Synthesis
export { ChartFiles } from './synth/chart-files';
export { HelmApp, HelmAppProps } from './synth/helm-app';
export { SynthResult, SynthWarning } from './synth/synth-result';

// What writing the output folder did, and the errors it raises
export { ChartOutputReport, OutputReport } from './output/output-writer';
export { OutputIoError } from './output/output-error';
export { LockBusyError } from './output/output-lock';

// The lifecycle plan, as `helm-synth plan --json` prints it (for tools reading it)
export {
  HookStep,
  LifecycleOperation,
  LifecyclePlan,
  OperationPlan,
  PlannedHook,
  PlannedObject,
  ResourceStep,
} from './plan/lifecycle-plan';

/*
 * Deprecated: PostgreSQL moved to `helm-synth/postgres`. These re-exports stay for one minor version
 * (CHANGELOG.md); import them from `helm-synth/postgres`.
 */
export * from './postgres';
