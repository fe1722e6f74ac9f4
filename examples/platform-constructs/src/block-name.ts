import { IConstruct } from 'constructs';
import { HelmSynthError, Value } from 'helm-synth';

/**
 * The object-name suffix of the values block a value belongs to: its key, kebab-cased
 * (`ordersApi.replicaCount` → `orders-api`, `apps.web.replicaCount` → `apps-web`).
 *
 * @throws HelmSynthError naming the construct when the block is not mounted under a key
 */
export function blockName(construct: IConstruct, value: Value): string {
  const keys = value.path.split('.').slice(0, -1);
  if (keys.length === 0) {
    throw new HelmSynthError(construct.node.path, `values block at the top of the values (${value.path}): mount it under a key`);
  }
  return keys.join('-').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
