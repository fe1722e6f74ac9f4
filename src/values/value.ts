import { HelmSynthError } from '../errors';
import { goString } from '../tokens/go-template';
import { Token, TokenUse } from '../tokens/token';
import { Condition } from './condition';

/** The kinds of value a chart can declare; each maps to a JSON Schema type. */
export enum ValueType {
  /** A string. */
  STRING = 'string',
  /** A whole number (int64). */
  INTEGER = 'integer',
  /** A number. */
  NUMBER = 'number',
  /** true or false. */
  BOOLEAN = 'boolean',
  /** One of a fixed set of strings. */
  ENUM = 'enum',
  /** A list. */
  LIST = 'list',
  /** A map. */
  OBJECT = 'object',
  /** A string that is a secret: never has a default, shown masked in the README. */
  SECRET = 'secret',
}

/** A JSON value, as values.yaml holds them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Options every value declaration takes. */
export interface ValueOptions<T> {
  /** What the value is for: the comment above it in values.yaml and its row in the README. */
  readonly description: string;
  /**
   * The default written to values.yaml.
   * @default none: the key is documented but left out of values.yaml
   */
  readonly default?: T;
  /**
   * The value must be given: an install without it fails with a message naming the key.
   * @default false
   */
  readonly required?: boolean;
}

/** Constraints of a string value. */
export interface StringValueOptions extends ValueOptions<string> {
  /** A regular expression (JSON Schema `pattern`, searched, not anchored) valid in both JavaScript and Go's RE2. @default none */
  readonly pattern?: string;
  /** Minimum length in characters. @default none (1 when required) */
  readonly minLength?: number;
  /** Maximum length in characters. @default none */
  readonly maxLength?: number;
}

/** Constraints of an integer or number value. */
export interface NumericValueOptions extends ValueOptions<number> {
  /** Inclusive lower bound. @default none */
  readonly minimum?: number;
  /** Inclusive upper bound. @default none */
  readonly maximum?: number;
}

/** Options of an enum value. */
export interface EnumValueOptions extends ValueOptions<string> {
  /** The allowed strings (no duplicates). */
  readonly values: readonly string[];
}

/** Options of a list value. */
export interface ListValueOptions extends ValueOptions<JsonValue[]> {
  /** JSON Schema (draft-07) of each item. @default any item */
  readonly items?: Record<string, unknown>;
}

/** Options of an object (map) value. */
export interface ObjectValueOptions extends ValueOptions<{ [key: string]: JsonValue }> {
  /** JSON Schema (draft-07) of each entry's value (`additionalProperties`). @default any value */
  readonly entries?: Record<string, unknown>;
}

/** Options of a secret string: no default may be given. */
export interface SecretValueOptions {
  /** What the secret is for. */
  readonly description: string;
  /** The value must be given at install time. @default false */
  readonly required?: boolean;
  /**
   * The value must be given unless this other value is set (a non-empty string, or true): typically
   * the name of an existing Secret that holds it. A value of the same chart, or its path relative
   * to this value's group (`'existingSecret'` beside `db.password` is `db.existingSecret`; in a
   * values tree, a key beside it). The schema checks it (draft-07 `if`/`else`) and so does the
   * template where the value is used.
   * @default none
   */
  readonly requiredUnless?: Value | string;
}

/** The chart a value belongs to: tokens of its values are only valid in that chart's templates. */
export interface ValueOwner {
  /** The chart's construct node. */
  readonly node: { readonly path: string };
}

const VALUE_BRAND = Symbol.for('helm-synth.Value');

/** Everything a declaration records, whatever its type. */
export interface ValueDeclaration {
  /** Its dotted path in values.yaml, e.g. `image.tag`. */
  readonly path: string;
  /** Its type. */
  readonly type: ValueType;
  /** Its description (values.yaml, schema, README). */
  readonly description: string;
  /** Its default, if any. */
  readonly default?: JsonValue;
  /** Whether values must give it. */
  readonly required: boolean;
  /** Its JSON Schema (without description and default). */
  readonly schema: Readonly<Record<string, unknown>>;
}

/** What a Value is made of; checked by `Values` before construction. */
export interface ValueFields {
  /** The chart it belongs to. */
  readonly owner: ValueOwner;
  /** Its dotted path in values.yaml. */
  readonly path: string;
  /** Its type. */
  readonly type: ValueType;
  /** Its description. */
  readonly description: string;
  /** Whether values must give it. */
  readonly required: boolean;
  /** Its JSON Schema (without description and default). */
  readonly schema: Record<string, unknown>;
  /** Its default, if any. */
  readonly default?: JsonValue;
  /** The value that, when set, makes this one optional. */
  readonly requiredUnless?: Value;
}

/**
 * A declared chart value. It hands out tokens, one per use, that render as the matching template
 * expression wherever they end up, in its own chart's templates only.
 */
export abstract class Value implements ValueDeclaration {
  /** True for a Value of any copy of the library. */
  public static isValue(x: unknown): x is Value {
    return typeof x === 'object' && x !== null && VALUE_BRAND in x;
  }

  /** The chart the value belongs to. */
  public readonly owner: ValueOwner;
  /** Dot-separated path under `.Values`. */
  public readonly path: string;
  /** Its type. */
  public readonly type: ValueType;
  /** What it is for. */
  public readonly description: string;
  /** Whether it must be given. */
  public readonly required: boolean;
  /** Its JSON Schema (without description and default). */
  public readonly schema: Readonly<Record<string, unknown>>;
  /** The default written to values.yaml, if any. */
  public readonly default?: JsonValue;
  private readonly tokens = new Map<string, Token>();
  private unless?: Value;

  /** Values are declared on `chart.values`, which checks the fields; subclasses' constructors are internal. */
  protected constructor(fields: ValueFields) {
    this.owner = fields.owner;
    this.path = fields.path;
    this.type = fields.type;
    this.description = fields.description;
    this.required = fields.required;
    this.schema = fields.schema;
    this.default = fields.default;
    this.unless = fields.requiredUnless;
    Object.defineProperty(this, VALUE_BRAND, { value: true });
  }

  /** The value that, when set (a non-empty string, or true), makes this one optional; else it is required. */
  public get requiredUnless(): Value | undefined {
    return this.unless;
  }

  /** @internal Sets `requiredUnless` once, for a values tree whose keys refer to keys declared after them. */
  public bindRequiredUnless(other: Value): void {
    if (this.unless !== undefined || this.tokens.size) {
      throw new HelmSynthError(this.owner.node.path, `value ${this.path}: requiredUnless is set once, before the value is used`);
    }
    this.unless = other;
  }

  /** The Go-template operand that reads the value, e.g. `.Values.image.tag`. */
  public get expression(): string {
    const operand = `.Values.${this.path}`;
    if (this.default !== undefined) return operand;
    if (this.required) return `(required ${goString(`value ${this.path} is required: ${oneLine(this.description)}`)} ${operand})`;
    if (this.unless) {
      const message = `value ${this.path} is required unless ${this.unless.path} is set: ${oneLine(this.description)}`;
      return `(or ${operand} (and (empty ${this.unless.expression}) (required ${goString(message)} "")) | default "")`;
    }
    if (this.type === ValueType.BOOLEAN) return `(${operand} | default false)`;
    if (this.type === ValueType.LIST || this.type === ValueType.OBJECT) return operand;
    return `(${operand} | default "")`;
  }

  /** The value as a string token (numbers and booleans are printed as JSON prints them). */
  public asString(): string {
    if (this.type === ValueType.LIST || this.type === ValueType.OBJECT) {
      throw new HelmSynthError(
        this.owner.node.path,
        `value ${this.path} is a ${this.type} and cannot be used as a string (it would render as Go prints a ${this.type}): use ${this.type === ValueType.LIST ? 'asList()' : 'asObject()'} for a whole field`,
      );
    }
    const printed =
      this.type === ValueType.INTEGER
        ? `(${this.expression} | int64 | toString)`
        : this.type === ValueType.NUMBER || this.type === ValueType.BOOLEAN
          ? `(${this.expression} | toJson)`
          : this.expression;
    return this.token(TokenUse.STRING, printed).marker;
  }

  /** The string token, so template literals like `` `${repo}:${tag}` `` compose. */
  public toString(): string {
    return this.asString();
  }

  /** A condition true when the value equals a literal of its type: `{{ if eq .Values.x "a" }}`. */
  public eq(literal: string | number | boolean): Condition {
    return Condition.compare(this, literal, true);
  }

  /** A condition true when the value differs from a literal of its type. */
  public ne(literal: string | number | boolean): Condition {
    return Condition.compare(this, literal, false);
  }

  /** What the value renders as for a use with its default (for checks of the default render). */
  private preview(use: TokenUse): unknown {
    const value =
      this.default ??
      (this.type === ValueType.BOOLEAN ? false : this.type === ValueType.LIST ? [] : this.type === ValueType.OBJECT ? {} : undefined);
    if (value === undefined) return this.required || this.type === ValueType.SECRET ? `<value ${this.path}>` : '';
    if (use === TokenUse.STRING && typeof value !== 'string') return JSON.stringify(value);
    return value;
  }

  /** @internal The token of this value for a use (one per use and operand, made once; `fresh`: a new one each call). */
  protected token(use: TokenUse, operand = this.expression, fresh = false): Token {
    const key = `${use}\u0000${operand}`;
    let token = fresh ? undefined : this.tokens.get(key);
    if (!token) {
      token = new Token({
        use,
        owner: this.owner,
        description: `value ${this.path}`,
        reference: `.Values.${this.path}`,
        idText: () => this.path,
        secret: this.type === ValueType.SECRET,
        operand,
        preview: () => this.preview(use),
      });
      if (!fresh) this.tokens.set(key, token);
    }
    return token;
  }
}

/** A string value. */
export class StringValue extends Value {
  /** @internal */
  constructor(fields: ValueFields) {
    super(fields);
  }
}

/** A secret string: read through a Secret, never defaulted, masked in the README. */
export class SecretValue extends StringValue {}

/** One of a fixed set of strings. */
export class EnumValue extends Value {
  /** The allowed strings. */
  public readonly values: readonly string[];

  /** @internal */
  constructor(fields: ValueFields, values: readonly string[]) {
    super(fields);
    this.values = values;
  }
}

/** An integer or floating-point value. */
export class NumericValue extends Value {
  /** @internal */
  constructor(fields: ValueFields) {
    super(fields);
  }

  /**
   * The value as a number token, rendered `| int64` for integers and `| toJson` for numbers: a
   * number in a range reserved for tokens (about 1.9e289), so code comparing it sees a number.
   * Checks of a lower bound pass and checks of an upper bound fail (at construction, naming the
   * value); two number tokens compare in the order they were made (a value's token is made by its
   * first `asNumber()`). Arithmetic on it
   * (`Duration.minutes(n)`, `n * 2`) is refused at synthesis; `Duration.seconds(n)` keeps it.
   */
  public asNumber(): number {
    return this.token(this.type === ValueType.INTEGER ? TokenUse.INTEGER : TokenUse.NUMBER).number;
  }
}

/** A boolean value, also usable as a condition (`Template.of(x).enableWhen(value)`). */
export class BooleanValue extends Value {
  /** @internal */
  constructor(fields: ValueFields) {
    super(fields);
  }

  /**
   * The value as a boolean token for a prop written into the object as it is. Each call hands out
   * a new token, and synthesis refuses one that never reaches a template: code that branches on
   * it (`if (props.isolate)`) sees a truthy marker whatever the value. Use a condition there
   * (`Template.of(x).enableWhen(value)`, `setIf`).
   */
  public asBoolean(): boolean {
    return this.token(TokenUse.BOOLEAN, this.expression, true).marker as unknown as boolean;
  }

  /** A condition true when the value is false. */
  public not(): Condition {
    return Condition.from(this).not();
  }
}

/** A list, passed through whole with `toYaml`. */
export class ListValue extends Value {
  /** @internal */
  constructor(fields: ValueFields) {
    super(fields);
  }

  /** The list as a token for a whole field (omitted when empty), or spliced into a list as its items. */
  public asList<T = unknown>(): T[] {
    return this.token(TokenUse.LIST).marker as unknown as T[];
  }
}

/** A map, passed through whole with `toYaml` (resources, nodeSelector, annotations, ...). */
export class ObjectValue extends Value {
  /** @internal */
  constructor(fields: ValueFields) {
    super(fields);
  }

  /** The map as a token for a whole field; the field is omitted when the map is empty. */
  public asObject<T = Record<string, unknown>>(): T {
    return this.token(TokenUse.MAP).marker as unknown as T;
  }
}

function oneLine(text: string): string {
  return text
    .split(/\r\n|[\r\n\u0085\u2028\u2029]/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
}
