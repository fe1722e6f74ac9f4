const HELM_SYNTH_ERROR = Symbol.for('helm-synth.HelmSynthError');

/**
 * The one error type helm-synth raises for bad input. Its message names the construct path (or
 * file) and the value at fault, so the CLI can print it as is.
 */
export class HelmSynthError extends Error {
  /** True for a HelmSynthError of any copy of the library (a brand check, not `instanceof`). */
  public static isHelmSynthError(x: unknown): x is HelmSynthError {
    return typeof x === 'object' && x !== null && HELM_SYNTH_ERROR in x;
  }

  /** Construct path of the construct at fault (e.g. `web/Server`), the chart name, or a file. */
  public readonly constructPath: string;
  /** Every problem found, when synthesis reports several at once; else just this one. */
  public readonly problems: ReadonlyArray<{ readonly constructPath: string; readonly message: string }>;

  constructor(
    constructPath: string,
    message: string,
    problems?: ReadonlyArray<{ readonly constructPath: string; readonly message: string }>,
  ) {
    super(constructPath ? `${constructPath}: ${message}` : message);
    this.name = 'HelmSynthError';
    this.constructPath = constructPath;
    this.problems = problems ?? [{ constructPath, message }];
    Object.defineProperty(this, HELM_SYNTH_ERROR, { value: true });
  }

  /** One error for several problems: the first one's path, every problem on its own line. */
  public static of(problems: ReadonlyArray<{ readonly constructPath: string; readonly message: string }>): HelmSynthError {
    if (problems.length === 1) return new HelmSynthError(problems[0].constructPath, problems[0].message);
    const lines = problems.map((p) => `  - ${p.constructPath ? `${p.constructPath}: ` : ''}${p.message}`);
    return new HelmSynthError('', `${problems.length} problems:\n${lines.join('\n')}`, problems);
  }
}

/** Renders a user value for an error message: strings quoted, everything else as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
