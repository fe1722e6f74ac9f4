import { randomBytes } from 'node:crypto';
import { describeValue } from '../errors';

/** How a token is used where it appears, which decides the template text it renders as. */
export enum TokenUse {
  /** A string scalar: `{{ X | quote }}`. */
  STRING = 'string',
  /** An integer scalar: `{{ X | int64 }}` (a bare number prints 1000000 as `1e+06`). */
  INTEGER = 'integer',
  /** A floating-point scalar: `{{ X | toJson }}` (never an exponent below 1e21). */
  NUMBER = 'number',
  /** A boolean scalar: `{{ X }}`. */
  BOOLEAN = 'boolean',
  /** A map passed through whole: `key:` then `{{- toYaml X | nindent N }}`, omitted when empty. */
  MAP = 'map',
  /** A list passed through whole, or spliced into a list. */
  LIST = 'list',
}

/** What a token needs to know to become a Go-template operand. */
export interface ResolveContext {
  /** Name of the chart being synthesized: its helpers are named `<chart>.<helper>`. */
  readonly chartName: string;
  /**
   * Name suffixes of the chart's objects, decided once per synthesis.
   * @default none: computed from each object's settings
   */
  readonly suffixes?: ReadonlyMap<object, string>;
}

/** What a token stands for. */
export interface TokenProps {
  /** How it is used. */
  readonly use: TokenUse;
  /**
   * The chart construct whose templates may use it (its values, its objects' names).
   * @default none: valid in every chart (a release field)
   */
  readonly owner?: { readonly node: { readonly path: string } };
  /** What it is, for messages: `value image.tag`, `name of web/Server`. */
  readonly description: string;
  /**
   * A secret: only allowed in a Secret's `stringData`.
   * @default false
   */
  readonly secret?: boolean;
  /**
   * The Go-template operand, e.g. `.Values.image.tag`, or a function that computes it at synthesis
   * (names depend on settings made after the token was handed out).
   */
  readonly operand: string | ((context: ResolveContext) => string);
  /**
   * What it renders as with the chart's default values, for checks of the default render (Pod
   * Security Standards warnings).
   * @default the text `<description>`
   */
  readonly preview?: (context: ResolveContext) => unknown;
}

const TOKEN_BRAND = Symbol.for('helm-synth.Token');
const REGISTRY_KEY = Symbol.for('helm-synth.token-registry.v1');
const MARKER_PREFIX = 'helmsynth';
const NONCE_LENGTH = 10;
const MARKER = new RegExp(`${MARKER_PREFIX}([0-9a-f]{${NONCE_LENGTH}})(\\d+)z`, 'gi');
const MARKER_HINT = new RegExp(MARKER_PREFIX, 'i');

interface Registry {
  readonly nonce: string;
  next: number;
  readonly byId: Map<number, WeakRef<Token>>;
  readonly cleanup: FinalizationRegistry<number>;
  /** Tokens bound to no chart (release fields): kept for the life of the process. */
  readonly unowned: Set<Token>;
}

const OWNED_TOKENS = Symbol.for('helm-synth.owned-tokens');

/**
 * The one process-wide table from markers back to tokens, shared by every copy of the library
 * through `globalThis`. A marker holds a random nonce, so literal text can never be read as one.
 */
function registry(): Registry {
  const holder = globalThis as unknown as { [REGISTRY_KEY]?: Registry };
  let found = holder[REGISTRY_KEY];
  if (!found) {
    const byId = new Map<number, WeakRef<Token>>();
    found = {
      nonce: randomBytes(NONCE_LENGTH / 2).toString('hex'),
      next: 0,
      byId,
      cleanup: new FinalizationRegistry((id) => byId.delete(id)),
      unowned: new Set(),
    };
    holder[REGISTRY_KEY] = found;
  }
  return found;
}

/**
 * Something that synthesizes to a Go-template expression: a value, a release field, a resource
 * name. It travels through typed props as a plain-text marker (`String(token)`), cast to `number`,
 * `boolean` or an object type where a prop needs one; synthesis finds the marker again and renders
 * the expression by the token's use. A token belongs to the chart it was made for: another chart's
 * templates reject it.
 */
export class Token {
  /** True for a token of any copy of the library. */
  public static isToken(x: unknown): x is Token {
    return typeof x === 'object' && x !== null && TOKEN_BRAND in x;
  }

  /** How it is used. */
  public readonly use: TokenUse;
  /** The chart whose templates may use it, if it is bound to one. */
  public readonly owner?: { readonly node: { readonly path: string } };
  /** What it is, for messages. */
  public readonly description: string;
  /** A secret: only allowed in a Secret's `stringData`. */
  public readonly secret: boolean;
  private readonly operandSource: TokenProps['operand'];
  private readonly previewSource?: TokenProps['preview'];
  private markerText?: string;

  constructor(props: TokenProps) {
    this.use = props.use;
    this.owner = props.owner;
    this.description = props.description;
    this.secret = props.secret ?? false;
    this.operandSource = props.operand;
    this.previewSource = props.preview;
    Object.defineProperty(this, TOKEN_BRAND, { value: true });
  }

  /** The Go-template operand in a chart's templates, e.g. `.Values.image.tag`. */
  public operand(context: ResolveContext): string {
    return typeof this.operandSource === 'string' ? this.operandSource : this.operandSource(context);
  }

  /** What it renders as with the chart's default values (a placeholder when that is unknown). */
  public preview(context: ResolveContext): unknown {
    return this.previewSource ? this.previewSource(context) : `<${this.description}>`;
  }

  /** The marker that stands for this token in props; the same for the life of the token. */
  public get marker(): string {
    if (this.markerText === undefined) {
      const table = registry();
      const id = table.next++;
      table.byId.set(id, new WeakRef(this));
      table.cleanup.register(this, id);
      if (this.owner) {
        const holder = this.owner as { [OWNED_TOKENS]?: Token[] };
        (holder[OWNED_TOKENS] ??= []).push(this);
      } else {
        table.unowned.add(this);
      }
      this.markerText = `${MARKER_PREFIX}${table.nonce}${id}z`;
    }
    return this.markerText;
  }

  /** The marker, so template literals compose tokens into strings. */
  public toString(): string {
    return this.marker;
  }
}

/** A piece of text split at its markers: literal strings and the tokens between them. */
export type TextPart = string | Token;

/**
 * Splits text at its markers. Returns undefined when it holds none (the common case, kept cheap).
 * Text that looks like a marker of another process is literal (the nonce differs); a marker of
 * this process whose chart is gone becomes a token that no chart accepts.
 */
export function splitTokens(text: string): TextPart[] | undefined {
  if (!MARKER_HINT.test(text)) return undefined;
  const table = registry();
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    if (match[1].toLowerCase() !== table.nonce) continue;
    const token = table.byId.get(Number(match[2]))?.deref() ?? danglingToken(match[0]);
    if (match.index! > last) parts.push(text.slice(last, match.index));
    parts.push(token);
    last = match.index! + match[0].length;
  }
  if (parts.length === 0) return undefined;
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** The token when the text is exactly one marker, else undefined. */
export function wholeToken(text: unknown): Token | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = splitTokens(text);
  return parts?.length === 1 && Token.isToken(parts[0]) ? parts[0] : undefined;
}

/** True when a value (a string, or a number/boolean token cast from one) holds at least one token. */
export function hasToken(value: unknown): boolean {
  return typeof value === 'string' && splitTokens(value) !== undefined;
}

/** Describes a user value for a message, with tokens shown as `${value image.tag}`. */
export function describeText(value: unknown): string {
  if (typeof value !== 'string') return describeValue(value);
  const parts = splitTokens(value);
  if (!parts) return describeValue(value);
  return JSON.stringify(parts.map((part) => (typeof part === 'string' ? part : `\${${part.description}}`)).join(''));
}

function danglingToken(marker: string): Token {
  return new Token({
    use: TokenUse.STRING,
    owner: { node: { path: '(a chart that no longer exists)' } },
    description: `token ${marker}`,
    operand: '""',
  });
}
