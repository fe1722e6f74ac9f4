import { describeValue, HelmSynthError } from '../errors';
import { References } from '../values/reference';

/** True when a prop holds a value token (a number token is a marker string at run time). */
export function isToken(value: unknown): boolean {
  return typeof value === 'string' && References.containsMarker(value);
}

/** Checks an integer prop that may also be a value token; returns it unchanged. */
export function checkInteger(value: unknown, field: string, where: string, minimum: number, maximum = 2 ** 31 - 1): number {
  if (isToken(value)) return value as number;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum || value > maximum) {
    throw new HelmSynthError(where, `${field} ${describeValue(value)} must be an integer from ${minimum} to ${maximum}, or a value token`);
  }
  return value;
}

/** Checks a non-empty string prop (a token is fine). */
export function checkText(value: unknown, field: string, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new HelmSynthError(where, `${field} ${describeValue(value)} must be a non-empty string`);
  }
  return value;
}
