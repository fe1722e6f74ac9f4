import { randomBytes } from 'node:crypto';
import { describeValue, useMessageRewriter } from '../errors';
import { goString, HELM_NO_VALUE, parenthesize, unwrapParentheses } from './go-template';

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
   * How each object of the chart is named, as collection decided it once per synthesis.
   * @default none: computed from each object's settings
   */
  readonly names?: ReadonlyMap<object, ObjectNaming>;
}

/** How collection named an object: what its name token renders. */
export interface ObjectNaming {
  /** Its name suffix (`''` for the bare full name). */
  readonly suffix: string;
  /**
   * The value naming an existing object to use instead (`Template.of(x).replaceableBy`).
   * @default none
   */
  readonly replacedBy?: { readonly expression: string };
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
  /**
   * How messages name it, e.g. `.Values.replicaCount`.
   * @default the description
   */
  readonly reference?: string;
  /**
   * The literal text that stands for it inside a construct id (cdk8s-plus builds ids from names,
   * e.g. `${pv.name}PVC`): stable across runs, computed when the id is read.
   * @default the description with every run of characters other than letters and digits as `-`
   */
  readonly idText?: () => string;
}

const TOKEN_BRAND = Symbol.for('helm-synth.Token');
const REGISTRY_KEY = Symbol.for('helm-synth.token-registry.v2');
const MARKER_PREFIX = 'helmsynth';
const NONCE_LENGTH = 10;
/**
 * A number token is a double whose high 16 bits are `0x7BFF` (sign +, exponent 2^960, top
 * mantissa bits set: 1.887e289 to 1.948e289), whose next 16 bits are the process's nonce and whose
 * low 32 bits are the token's id. Positive, so `x < 0`, `x > 0`, `Number.isInteger(x)` and
 * `Duration.seconds(x)` accept it; huge, so an upper-bound check fails loudly.
 */
const NUMBER_TAG = 0x7bff;
/**
 * Printed by JavaScript (`${n}`, JSON), a number token reads `1.9…e+289`. JavaScript prints every
 * number as one digit, a point and an exponent of at most 308, so digits right before or after the
 * printed token (`5${n}`, `${n}0`) are text beside it, not part of another number.
 */
const PRINTED_NUMBER = '\\d\\.\\d{1,17}e\\+289';
const MARKER = new RegExp(`${MARKER_PREFIX}([0-9a-f]{${NONCE_LENGTH}})(\\d+)z|${PRINTED_NUMBER}`, 'gi');
const MARKER_HINT = new RegExp(MARKER_PREFIX, 'i');
const PRINTED_NUMBER_HINT = 'e+289';
/** Numbers at least this large are no Kubernetes value: arithmetic on a number token makes them. */
const COMPUTED_FROM_TOKEN = 1e200;
const COMPUTED_NOTE = ' (computed from a number token)';
/** A number printed with an exponent of at least 200 (as JavaScript prints such numbers). */
export const PRINTED_HUGE_NUMBER = /(?<![0-9.])\d(?:\.\d+)?e\+(?:[2-9]\d\d|\d{4,})(?![0-9])/gi;

interface Registry {
  readonly nonce: string;
  /** The 16 bits of the nonce that number tokens carry. */
  readonly numberNonce: number;
  next: number;
  readonly byId: Map<number, WeakRef<Token>>;
  readonly cleanup: FinalizationRegistry<number>;
  /** Tokens bound to no chart (release fields): kept for the life of the process. */
  readonly unowned: Set<Token>;
  /** Construct addresses that depend on markers (a token in a scope's id), with their stable form. */
  readonly addresses: Map<string, string>;
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
    const nonce = randomBytes(NONCE_LENGTH / 2).toString('hex');
    found = {
      nonce,
      numberNonce: parseInt(nonce.slice(0, 4), 16),
      next: 0,
      byId,
      cleanup: new FinalizationRegistry((id) => byId.delete(id)),
      unowned: new Set(),
      addresses: new Map(),
    };
    holder[REGISTRY_KEY] = found;
  }
  return found;
}

/**
 * Something that synthesizes to a Go-template expression: a value, a release field, a resource
 * name. It travels through typed props as a plain-text marker (`String(token)`), as a number in a
 * reserved range (`token.number`, for number props), or as its marker cast to `boolean` or an
 * object type; synthesis finds the marker or number again, also printed inside text, and renders
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
  /** How messages name it, e.g. `.Values.replicaCount`. */
  public readonly reference: string;
  /** A secret: only allowed in a Secret's `stringData`. */
  public readonly secret: boolean;
  private readonly operandSource: TokenProps['operand'];
  private readonly previewSource?: TokenProps['preview'];
  private readonly idTextSource?: TokenProps['idText'];
  /** Its number in the process-wide table, given when it is made: markers and number tokens do not depend on the order of reads. */
  private readonly id: number;
  private handedOut = false;
  private markerText?: string;

  /** @internal Tokens are made by values, release fields and names, never from template text of users. */
  constructor(props: TokenProps) {
    this.use = props.use;
    this.owner = props.owner;
    this.description = props.description;
    this.reference = props.reference ?? props.description;
    this.secret = props.secret ?? false;
    this.operandSource = props.operand;
    this.previewSource = props.preview;
    this.idTextSource = props.idText;
    this.id = registry().next++;
    Object.defineProperty(this, TOKEN_BRAND, { value: true });
  }

  /** @internal The Go-template operand in a chart's templates, e.g. `.Values.image.tag`. */
  public operand(context: ResolveContext): string {
    return typeof this.operandSource === 'string' ? this.operandSource : this.operandSource(context);
  }

  /** @internal What it renders as with the chart's default values (a placeholder when that is unknown). */
  public preview(context: ResolveContext): unknown {
    return this.previewSource ? this.previewSource(context) : `<${this.description}>`;
  }

  /**
   * The literal text that stands for it inside a construct id, the same in every run.
   * @internal
   */
  public get idText(): string {
    return this.idTextSource ? this.idTextSource() : this.description.replace(/[^A-Za-z0-9]+/g, '-');
  }

  /**
   * The marker that stands for this token in text props; the same for the life of the token.
   *
   * The first read (of `marker` or `number`) records the token as handed out, which no reader can
   * observe: the marker and the number come from the token's number, given when the token was made
   * (so they do not depend on which token was read first), the record only lets synthesis find the
   * token again from its marker in text (and keeps the token alive while its marker may be there),
   * and the chart written is the same whether and in which order tokens were read
   * (`test/core/pure-getters.test.ts`).
   */
  public get marker(): string {
    this.handOut();
    return (this.markerText ??= `${MARKER_PREFIX}${registry().nonce}${this.id}z`);
  }

  /**
   * The number that stands for this token in number props: a double in a reserved range (about
   * 1.9e289, never a number Kubernetes accepts), the same for the life of the token. Two number
   * tokens compare in the order the tokens were made. Its first read records the token as handed
   * out, as `marker`'s does, which no reader can observe.
   */
  public get number(): number {
    this.handOut();
    const view = new DataView(new ArrayBuffer(8));
    view.setUint32(0, ((NUMBER_TAG << 16) | registry().numberNonce) >>> 0);
    view.setUint32(4, this.id);
    return view.getFloat64(0);
  }

  /** The marker, so template literals compose tokens into strings. */
  public toString(): string {
    return this.marker;
  }

  /** Records the token as handed out: found again from its marker or number, kept while they may be in text. */
  private handOut(): void {
    if (this.handedOut) return;
    const table = registry();
    table.byId.set(this.id, new WeakRef(this));
    table.cleanup.register(this, this.id);
    if (this.owner) {
      const holder = this.owner as { [OWNED_TOKENS]?: Token[] };
      (holder[OWNED_TOKENS] ??= []).push(this);
    } else {
      table.unowned.add(this);
    }
    this.handedOut = true;
  }
}

/** The tokens of a chart that were handed out, in the order they were. */
export function tokensOwnedBy(owner: object): readonly Token[] {
  return (owner as { [OWNED_TOKENS]?: Token[] })[OWNED_TOKENS] ?? [];
}

/** A piece of text split at its markers: literal strings and the tokens between them. */
export type TextPart = string | Token;

/** How a number relates to the number tokens of this process. */
export enum NumberKind {
  /** An ordinary number. */
  PLAIN = 'plain',
  /** A number token of this process. */
  TOKEN = 'token',
  /**
   * A number no Kubernetes field takes (at least 1e200): in the range reserved for number tokens
   * but none of this process's, or made by arithmetic on a token (`Duration.minutes(token)`).
   */
  RESERVED = 'reserved',
}

/** Reads a number: an ordinary one, a number token, or one in the range reserved for tokens. */
export function classifyNumber(value: number): { kind: NumberKind; token?: Token } {
  if (!(Math.abs(value) >= COMPUTED_FROM_TOKEN)) return { kind: NumberKind.PLAIN };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const table = registry();
  if (high >>> 16 === NUMBER_TAG && (high & 0xffff) === table.numberNonce) {
    const id = view.getUint32(4);
    const token = table.byId.get(id)?.deref();
    return { kind: NumberKind.TOKEN, token: token ?? danglingToken(`number token ${id}`) };
  }
  return { kind: NumberKind.RESERVED };
}

/**
 * Splits text at its markers and printed number tokens. Returns undefined when it holds none (the
 * common case, kept cheap). Text that looks like a marker of another process is literal (the nonce
 * differs); a marker of this process whose chart is gone becomes a token that no chart accepts.
 */
export function splitTokens(text: string): TextPart[] | undefined {
  if (!MARKER_HINT.test(text) && !text.includes(PRINTED_NUMBER_HINT)) return undefined;
  const table = registry();
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    let token: Token | undefined;
    if (match[1] === undefined) {
      token = classifyNumber(Number(match[0])).token;
    } else if (match[1].toLowerCase() === table.nonce) {
      token = table.byId.get(Number(match[2]))?.deref() ?? danglingToken(match[0]);
    }
    if (!token) continue;
    if (match.index! > last) parts.push(text.slice(last, match.index));
    parts.push(token);
    last = match.index! + match[0].length;
  }
  if (parts.length === 0) return undefined;
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** The token when the value is exactly one marker or one number token, else undefined. */
export function wholeToken(value: unknown): Token | undefined {
  if (typeof value === 'number') return classifyNumber(value).token;
  if (typeof value !== 'string') return undefined;
  const parts = splitTokens(value);
  return parts?.length === 1 && Token.isToken(parts[0]) ? parts[0] : undefined;
}

/** True when a value (text, a number token, or a token cast to another type) holds at least one token. */
export function hasToken(value: unknown): boolean {
  if (typeof value === 'number') return classifyNumber(value).kind === NumberKind.TOKEN;
  return typeof value === 'string' && splitTokens(value) !== undefined;
}

/** Describes a user value for a message, with tokens shown as `${value image.tag}`. */
export function describeText(value: unknown): string {
  if (typeof value === 'number') {
    const token = wholeToken(value);
    return token ? `\${${token.description}}` : describeValue(value);
  }
  if (typeof value !== 'string') return describeValue(value);
  const parts = splitTokens(value);
  return parts ? describeParts(parts) : describeValue(value);
}

/** Describes text already split into literal strings and tokens, for a message: tokens shown as `${value image.tag}`. */
export function describeParts(parts: readonly TextPart[]): string {
  return JSON.stringify(parts.map((part) => (typeof part === 'string' ? part : `\${${part.description}}`)).join(''));
}

/**
 * Text for a message with every marker and printed number token replaced by how messages name its
 * token; a number too large for any Kubernetes field (arithmetic on a number token made it) says so.
 */
export function readableText(text: string): string {
  return readableParts(splitTokens(text) ?? [text]);
}

/** Text already split into literal strings and tokens, each token as messages name it (see {@link readableText}). */
export function readableParts(parts: readonly TextPart[]): string {
  return parts
    .map((part, i) => {
      if (typeof part !== 'string') {
        const next = parts[i + 1];
        return typeof next === 'string' && /^\w/.test(next) ? `(${part.reference})` : part.reference;
      }
      return part.replace(PRINTED_HUGE_NUMBER, (printed, at: number, whole: string) =>
        whole.startsWith(COMPUTED_NOTE, at + printed.length) ? printed : `${printed}${COMPUTED_NOTE}`,
      );
    })
    .join('');
}

/** A cdk8s construct address, which cdk8s-plus puts into ids (`Allow${direction}${peer.node.addr}`). */
const ADDRESS = /c8[0-9a-f]{40}/g;

/**
 * Records the stable form of a construct address made from ids holding tokens (the address hashes
 * the markers, which differ from run to run), so ids built from it read the same in every run.
 */
export function registerStableAddress(address: string, stable: string): void {
  registry().addresses.set(address, stable);
}

/** A construct id (or path) with every token, and every address made from tokens, replaced by its literal id text. */
export function literalIdText(id: string): string {
  const parts = splitTokens(id);
  const text = parts ? parts.map((part) => (typeof part === 'string' ? part : part.idText)).join('') : id;
  const addresses = registry().addresses;
  return addresses.size && text.includes('c8') ? text.replace(ADDRESS, (address) => addresses.get(address) ?? address) : text;
}

const DANGLING = Symbol.for('helm-synth.dangling-token');

/** True for a marker of this process whose token is gone with its chart: no chart accepts it. */
export function isDanglingToken(token: Token): boolean {
  return DANGLING in token;
}

function danglingToken(marker: string): Token {
  const token = new Token({
    use: TokenUse.STRING,
    owner: { node: { path: '(a chart that no longer exists)' } },
    description: `token ${marker}`,
    operand: '""',
  });
  Object.defineProperty(token, DANGLING, { value: true });
  return token;
}

useMessageRewriter({ message: readableText, path: literalIdText });

/**
 * A token printed into text (NOTES.txt, a `printf` of a mixed string, a list key), as one pipeline:
 * integers as int64 (no exponent), numbers as JSON prints them, maps and lists as YAML, other
 * uses as they are. The one rule for a token inside text, in templates and NOTES.txt alike.
 */
export function textPipeline(token: Token, context: ResolveContext): string {
  const operand = unwrapParentheses(token.operand(context));
  switch (token.use) {
    case TokenUse.INTEGER:
      return `${operand} | int64`;
    case TokenUse.NUMBER:
      return `${operand} | toJson`;
    case TokenUse.MAP:
    case TokenUse.LIST:
      return `${operand} | toYaml`;
    default:
      return operand;
  }
}

/** A token as a `printf "%v"` argument: {@link textPipeline} as one operand. */
export function printfArgument(token: Token, context: ResolveContext): string {
  return parenthesize(textPipeline(token, context));
}

/**
 * The template text of a scalar: one token rendered by its use (`| quote`, `| int64`, `| toJson`,
 * bare), or literal text and tokens as one `printf ... | quote` for the whole scalar. In a string
 * field a number or boolean is printed and quoted, so Kubernetes gets a string. Literal text holding
 * Helm's `<no value>` (which Helm deletes from output) has `<` written as the YAML escape `\x3c`.
 */
export function scalarTemplate(parts: readonly TextPart[], context: ResolveContext, stringField: boolean): string {
  if (parts.length === 1 && typeof parts[0] !== 'string') return wholeTokenTemplate(parts[0], context, stringField);
  let format = '';
  const args: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      format += part.replace(/%/g, '%%');
    } else {
      format += '%v';
      args.push(printfArgument(part, context));
    }
  }
  const hideNoValue = parts.some((part) => typeof part === 'string' && part.includes(HELM_NO_VALUE));
  return `{{ printf ${goString(format)} ${args.join(' ')} | quote${hideNoValue ? ` | replace "<" ${goString('\\x3c')}` : ''} }}`;
}

function wholeTokenTemplate(token: Token, context: ResolveContext, stringField: boolean): string {
  const operand = unwrapParentheses(token.operand(context));
  switch (token.use) {
    case TokenUse.INTEGER:
      return stringField ? `{{ ${operand} | int64 | toString | quote }}` : `{{ ${operand} | int64 }}`;
    case TokenUse.NUMBER:
      return stringField ? `{{ ${operand} | toJson | quote }}` : `{{ ${operand} | toJson }}`;
    case TokenUse.BOOLEAN:
      return stringField ? `{{ ${operand} | toJson | quote }}` : `{{ ${operand} }}`;
    default:
      return `{{ ${operand} | quote }}`;
  }
}
