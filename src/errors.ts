const HELM_SYNTH_ERROR = Symbol.for('helm-synth.HelmSynthError');
/** How messages and construct paths show token markers; given by `tokens/token.ts` (a layer above) when it loads. */
export interface MessageRewriter {
  /** Text for a message: markers and number tokens as the values they stand for. */
  readonly message: (text: string) => string;
  /** A construct path with markers in its ids as their literal id text. */
  readonly path: (text: string) => string;
}

let messageRewriter: MessageRewriter | undefined;

/** @internal Called once by `tokens/token.ts` as it loads, so this module imports nothing. */
export function useMessageRewriter(rewriter: MessageRewriter): void {
  messageRewriter = rewriter;
}

function rewriter(): MessageRewriter | undefined {
  return messageRewriter;
}

/** Text for a message: token markers and number tokens replaced by the value they stand for (`.Values.replicaCount`). */
export function readableMessage(text: string): string {
  return rewriter()?.message(text) ?? text;
}

/** A construct path with token markers in its ids replaced by their literal id text. */
export function readablePath(path: string): string {
  return rewriter()?.path(path) ?? path;
}

/** One problem found by synthesis: the construct path (or chart name, or file) at fault and what is wrong. */
export interface Problem {
  /** Construct path of the construct at fault (e.g. `web/Server`), the chart name, or a file. */
  readonly constructPath: string;
  /** What is wrong, naming the value at fault. */
  readonly message: string;
}

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
  public readonly problems: ReadonlyArray<Problem>;

  constructor(constructPath: string, message: string, problems?: ReadonlyArray<Problem>) {
    const path = readablePath(constructPath);
    const text = readableMessage(message);
    super(path ? `${path}: ${text}` : text);
    this.name = 'HelmSynthError';
    this.constructPath = path;
    this.problems = (problems ?? [{ constructPath, message }]).map((p) => ({
      constructPath: readablePath(p.constructPath),
      message: readableMessage(p.message),
    }));
    Object.defineProperty(this, HELM_SYNTH_ERROR, { value: true });
  }

  /** One error for several problems: the first one's path, every problem on its own line. */
  public static fromProblems(problems: ReadonlyArray<Problem>): HelmSynthError {
    if (problems.length === 1) return new HelmSynthError(problems[0].constructPath, problems[0].message);
    const lines = problems.map((p) => `  - ${p.constructPath ? `${readablePath(p.constructPath)}: ` : ''}${p.message}`);
    return new HelmSynthError('', `${problems.length} problems:\n${lines.join('\n')}`, problems);
  }

  /**
   * Same as {@link HelmSynthError.fromProblems}.
   * @deprecated Use `fromProblems`; `of` is kept for one minor version.
   */
  public static of(problems: ReadonlyArray<Problem>): HelmSynthError {
    return HelmSynthError.fromProblems(problems);
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
