import { IConstruct } from 'constructs';
import { HelmSynthError } from 'helm-synth';

/** A values key a construct's block can have: lowerCamelCase, so that `--set frontend.image.tag=...` needs no quoting. */
const VALUES_KEY = /^[a-z][a-zA-Z0-9]{0,40}$/;

/**
 * The object-name suffix of a values block (`ordersApi` → `orders-api`), after checking the key.
 *
 * @throws HelmSynthError naming the construct when the key is not lowerCamelCase
 */
export function blockName(construct: IConstruct, valuesKey: string): string {
  if (!VALUES_KEY.test(valuesKey)) {
    throw new HelmSynthError(
      construct.node.path,
      `valuesKey ${JSON.stringify(valuesKey)} is not a lowerCamelCase key (${VALUES_KEY.source})`,
    );
  }
  return valuesKey.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
