import { ApiObject } from 'cdk8s';
import { HelmSynthError } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { FieldPathSegment } from '../chart/template';
import { Token, TokenUse } from '../tokens/token';
import { Value, ValueType } from '../values/value';
import { INT64_MAX, INT64_MIN } from '../values/values';
import { DATA_KEY_SCHEMA, isDataKeyMap, metadataMapSchema, nameSchemaAt } from './field-names';
import { NameToken } from '../chart/resource-naming';

type Path = readonly FieldPathSegment[];

/** Fields of the built-in kinds that Kubernetes types as int32 (by field name; none of them is int64 in any kind). */
const INT32_FIELDS: ReadonlySet<string> = new Set([
  'replicas',
  'minReplicas',
  'maxReplicas',
  'containerPort',
  'hostPort',
  'port',
  'targetPort',
  'nodePort',
  'number',
  'weight',
  'averageUtilization',
  'revisionHistoryLimit',
  'minReadySeconds',
  'progressDeadlineSeconds',
  'backoffLimit',
  'backoffLimitPerIndex',
  'maxFailedIndexes',
  'completions',
  'parallelism',
  'initialDelaySeconds',
  'periodSeconds',
  'timeoutSeconds',
  'successThreshold',
  'failureThreshold',
  'defaultMode',
  'mode',
  'ttlSecondsAfterFinished',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'stabilizationWindowSeconds',
  'minAvailable',
  'maxUnavailable',
  'maxSurge',
  'partition',
  'priority',
]);

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Maps Kubernetes types as `map[string]string`: a map value merged or placed there must hold strings only. */
export const STRING_MAP_FIELDS: ReadonlySet<string> = new Set(['annotations', 'labels', 'matchLabels', 'nodeSelector', 'stringData']);

/** Fields of the built-in kinds that hold one scalar (text, a number or a boolean), never a map or a list. */
const SCALAR_FIELDS: ReadonlySet<string> = new Set([
  ...INT32_FIELDS,
  'name',
  'namespace',
  'image',
  'imagePullPolicy',
  'value',
  'key',
  'mountPath',
  'subPath',
  'serviceAccountName',
  'restartPolicy',
  'schedule',
  'host',
  'path',
  'pathType',
  'protocol',
  'storageClassName',
  'hostname',
  'subdomain',
  'priorityClassName',
  'schedulerName',
  'runtimeClassName',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
  'runAsNonRoot',
  'readOnly',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'automountServiceAccountToken',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'startingDeadlineSeconds',
  'concurrencyPolicy',
  'suspend',
  'workingDir',
  'ingressClassName',
  'clusterIP',
  'externalTrafficPolicy',
  'loadBalancerIP',
  'secretName',
  'claimName',
  'optional',
  'immutable',
  'type',
]);

/** Whether an object is of a built-in kind (core group, a group without dots, or a `*.k8s.io` group), whose field types are known. */
function isBuiltIn(object: ApiObject): boolean {
  const slash = object.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : object.apiVersion.slice(0, slash);
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/** The name of the field a path ends at (a list item's field: the list's name). */
function fieldName(path: Path): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
}

/** Fields named like a scalar that are objects under a parent: an Ingress backend's `service.port` ({ number | name }). */
const OBJECT_FIELDS_UNDER: Readonly<Record<string, string>> = { port: 'service' };

/** Whether the path ends at a scalar field of a built-in kind (not a list item, which may be a map). */
export function isScalarField(path: Path, object: ApiObject): boolean {
  const last = path[path.length - 1];
  const parent = String(path[path.length - 2]);
  if (typeof last !== 'string' || !isBuiltIn(object) || !SCALAR_FIELDS.has(last)) return false;
  return !STRING_MAP_FIELDS.has(parent) && OBJECT_FIELDS_UNDER[last] !== parent;
}

/** Whether the path ends at a `map[string]string` field (a ConfigMap's or Secret's `data` included). */
export function isStringMapField(path: Path, kind: string): boolean {
  const last = path[path.length - 1];
  if (path.length === 1 && (kind === 'ConfigMap' || kind === 'Secret') && (last === 'data' || last === 'binaryData')) return true;
  return typeof last === 'string' && STRING_MAP_FIELDS.has(last);
}

/**
 * What a token's use at a field needs of the value behind it, made part of the value's schema:
 * an integer in an int32 field of a built-in kind is bounded to int32 (a declared bound outside it
 * is an error), a map merged into or placed at a `map[string]string` field holds strings only.
 * Throws HelmSynthError naming the value.
 */
export function narrowForField(chart: HelmChart, token: Token, path: Path, object: ApiObject): void {
  const value = valueOf(chart, token);
  if (!value) return;
  if (token.use === TokenUse.INTEGER && value.type === ValueType.INTEGER && isBuiltIn(object)) {
    const name = fieldName(path);
    if (name === undefined || !INT32_FIELDS.has(name) || typeof path[path.length - 1] !== 'string') return;
    const { minimum, maximum } = value.schema as { minimum?: number; maximum?: number };
    for (const [bound, given, limit] of [
      ['minimum', minimum, INT64_MIN],
      ['maximum', maximum, INT64_MAX],
    ] as const) {
      if (given !== undefined && given !== limit && (given < INT32_MIN || given > INT32_MAX)) {
        throw new HelmSynthError(
          chart.node.path,
          `value ${value.path} has ${bound} ${given}, outside the 32-bit integers (${INT32_MIN} to ${INT32_MAX}) Kubernetes takes in ${name}`,
        );
      }
    }
    chart.values.narrow(value, { type: 'integer', minimum: INT32_MIN, maximum: INT32_MAX }, `${name} (a 32-bit integer in Kubernetes)`);
  }
  if (token.use === TokenUse.NUMBER && value.type === ValueType.NUMBER && isBuiltIn(object)) {
    const field = fieldName(path);
    if (field !== undefined && INT32_FIELDS.has(field) && typeof path[path.length - 1] === 'string')
      chart.values.narrow(value, { type: 'integer', minimum: INT32_MIN, maximum: INT32_MAX }, `${field} (a 32-bit integer in Kubernetes)`);
  }
  const name = value.type === ValueType.STRING && token.use === TokenUse.STRING ? nameSchemaAt(path, object.kind) : undefined;
  if (name) chart.values.narrow(value, { ...name.schema }, `${name.what} (a name Kubernetes checks)`);
  if (token.use === TokenUse.MAP && value.type === ValueType.OBJECT && isStringMapField(path, object.kind)) {
    const entries = (value.schema as { additionalProperties?: { type?: unknown } }).additionalProperties;
    if (entries?.type !== 'string')
      chart.values.narrow(
        value,
        { type: 'object', additionalProperties: { type: 'string' } },
        `${fieldName(path)} (a map of strings in Kubernetes)`,
      );
    const metadata = metadataMapSchema(path, object.kind);
    if (metadata) chart.values.narrow(value, metadata, `${fieldName(path)} (keys and values Kubernetes checks)`);
    if (isDataKeyMap(path, object.kind))
      chart.values.narrow(
        value,
        { type: 'object', propertyNames: DATA_KEY_SCHEMA },
        `${object.kind} ${fieldName(path)} (keys Kubernetes checks)`,
      );
  }
}

/** The chart's value a token reads, if it reads one whole (its operand is the value's). */
export function valueOf(chart: HelmChart, token: Token): Value | undefined {
  if (NameToken.isNameToken(token) || !token.owner) return undefined;
  const operand = token.operand({ chartName: chart.chartName });
  const all = chart.values.all;
  let index = VALUES_BY_EXPRESSION.get(chart);
  if (!index || index.size !== all.length) {
    index = new Map(all.map((value) => [value.expression, value]));
    VALUES_BY_EXPRESSION.set(chart, index);
  }
  return index.get(operand);
}

/** Each chart's values by template expression, rebuilt when a value is declared. */
const VALUES_BY_EXPRESSION = new WeakMap<HelmChart, Map<string, Value>>();
