/**
 * helm-synth's public API: what chart authors and construct libraries use. Everything else in
 * the package is internal and may change.
 */

// Errors
export { HelmSynthError } from './errors';

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
export { Condition } from './values/condition';
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
  ValueOptions,
  ValueType,
} from './values/value';
export { Values } from './values/values';

// Typed values trees and values blocks of constructs (issue 18: values.define, ValuesOf)
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
export { FieldOperation, FieldPathSegment, Template } from './chart/template';

// Hooks
export { Hook, HookProps } from './hooks/hook';
export { HookJob, HookJobOptions, HookJobProps } from './hooks/hook-job';
export { HookResources, ResourceAmounts } from './hooks/hook-pod';
export { HookDeletePolicy, HookEvent, HookOutputLogPolicy } from './hooks/hook-types';
export { PreInstallJob } from './hooks/pre-install-job';
export { ServiceConnectionTest, ServiceConnectionTestProps } from './hooks/service-connection-test';

// Workloads: helm create's standard values and autoscaling
export { Autoscaling, AutoscalingOptions, AutoscalingProps } from './workloads/autoscaling';
export {
  RESTRICTED_POD_SECURITY_CONTEXT,
  RESTRICTED_SECURITY_CONTEXT,
  StandardServiceAccountProps,
  StandardValues,
  StandardValuesProps,
} from './workloads/standard-values';

// PostgreSQL
export { BootstrapEnv, BOOTSTRAP_STEPS_TABLE, bootstrapScript } from './postgres/bootstrap-script';
export { DbBootstrapHook, DbBootstrapHookProps, SchemaStep } from './postgres/db-bootstrap-hook';
export { DatabasePlacement, ExternalPostgresProps, PostgresConnection, SecretKeyRef } from './postgres/postgres-connection';
export { PostgresImage, PostgresPersistence, PostgresRelease, PostgresReleaseProps } from './postgres/postgres-release';

// Synthesis
export { ChartFiles, synthesizeChart } from './synth/chart-files';
export { ChartObject } from './synth/collect';
export { HelmApp, HelmAppProps, SynthRun } from './synth/helm-app';

// The output folder
export { ChartOutputReport, OutputChart, OutputOptions, OutputReport, writeOutput } from './output/output-writer';
export { OutputIoError } from './output/output-error';
export { OutputFileSystem } from './output/output-fs';
export { LockBusyError } from './output/output-lock';

// The lifecycle plan
export {
  HookStep,
  LifecycleOperation,
  LifecyclePlan,
  lifecyclePlan,
  OperationPlan,
  PlannedHook,
  PlannedObject,
  ResourceStep,
} from './plan/lifecycle-plan';
export { renderPlanMermaid } from './plan/plan-mermaid';
export { renderPlanText } from './plan/plan-text';
