import { ApiObject } from 'cdk8s';
import { jsonAt, POD_SPEC_PATHS } from '../chart/kinds';
import { objectOwners } from '../chart/template';

/**
 * The requests and limits cdk8s-plus gives every container that sets no `resources` (1 CPU and
 * 512 MiB requested, 1.5 CPU and 2 GiB allowed), as its `toJson()` writes them.
 */
export const CDK8S_PLUS_DEFAULT_RESOURCES = {
  limits: { cpu: '1500m', memory: '2048Mi' },
  requests: { cpu: '1000m', memory: '512Mi' },
} as const;

const CONTAINER_GROUPS = ['initContainers', 'containers'] as const;
const JSII_TYPE = Symbol.for('jsii.rtti');

/**
 * Removes cdk8s-plus's invented resource defaults from every container and init container of an
 * object a cdk8s-plus construct made: a container whose `resources` are exactly
 * `CDK8S_PLUS_DEFAULT_RESOURCES` gets `resources: {}` (none), as a `helm create` chart renders by
 * default (`StandardValues.applyTo` and `Template.of(x).set`, applied later, still write them in
 * that place). Objects
 * of other constructs (a raw `ApiObject`) keep what they say. Changes the JSON in place and
 * returns it.
 */
export function withoutInventedResources(object: ApiObject, json: Record<string, any>): Record<string, any> {
  const path = POD_SPEC_PATHS[String(json.kind)];
  const spec = path && (jsonAt(json, path) as Record<string, any> | undefined);
  if (!spec || typeof spec !== 'object' || !madeByCdk8sPlus(object)) return json;
  for (const group of CONTAINER_GROUPS) {
    for (const container of Array.isArray(spec[group]) ? spec[group] : []) {
      if (container && typeof container === 'object' && isCdk8sPlusDefault(container.resources)) container.resources = {};
    }
  }
  return json;
}

/** True when one of the constructs standing for the object is a cdk8s-plus construct (of any Kubernetes version's package). */
function madeByCdk8sPlus(object: ApiObject): boolean {
  return objectOwners(object).some((owner) => {
    const type = (owner.constructor as unknown as { [JSII_TYPE]?: { fqn?: unknown } })[JSII_TYPE];
    return typeof type?.fqn === 'string' && /^cdk8s-plus-\d+\./.test(type.fqn);
  });
}

function isCdk8sPlusDefault(resources: unknown): boolean {
  return JSON.stringify(sortedKeys(resources)) === JSON.stringify(CDK8S_PLUS_DEFAULT_RESOURCES);
}

function sortedKeys(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}
