/**
 * The one error type synthesis raises for bad input. Its message names the construct path and the
 * value at fault, so the CLI can print it as is.
 */
export class HelmSynthError extends Error {
  /** Construct path of the construct at fault (e.g. `web/Server`), or the chart name. */
  public readonly constructPath: string;

  constructor(constructPath: string, message: string) {
    super(`${constructPath}: ${message}`);
    this.name = 'HelmSynthError';
    this.constructPath = constructPath;
  }
}

/** Renders a user value for an error message: strings quoted, everything else as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}
