import { booleanToken, numberToken, objectToken, Reference, ReferenceUse, stringToken } from './reference';

/** The kinds of value a chart can declare; each maps to a JSON Schema type. */
export enum ValueType {
  STRING = 'string',
  INTEGER = 'integer',
  NUMBER = 'number',
  BOOLEAN = 'boolean',
  ENUM = 'enum',
  LIST = 'list',
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
  /** A regular expression (JSON Schema `pattern`) the value must match. @default none */
  readonly pattern?: string;
  /** Minimum length. @default none (1 when required) */
  readonly minLength?: number;
  /** Maximum length. @default none */
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
  /** The allowed strings. */
  readonly values: readonly string[];
}

/** Options of a list value. */
export interface ListValueOptions extends ValueOptions<JsonValue[]> {
  /** JSON Schema of each item. @default any item */
  readonly items?: Record<string, unknown>;
}

/** Options of an object (map) value. */
export interface ObjectValueOptions extends ValueOptions<{ [key: string]: JsonValue }> {
  /** JSON Schema of each entry's value (`additionalProperties`). @default any value */
  readonly entries?: Record<string, unknown>;
}

/** Options of a secret string: no default may be given. */
export interface SecretValueOptions {
  /** What the secret is for. */
  readonly description: string;
  /** The value must be given at install time. @default false */
  readonly required?: boolean;
}

/** Everything a declaration records, whatever its type. */
export interface ValueDeclaration {
  readonly path: string;
  readonly type: ValueType;
  readonly description: string;
  readonly default?: JsonValue;
  readonly required: boolean;
  readonly schema: Record<string, unknown>;
}

/**
 * A declared chart value. It hands out tokens, one per use, that render as the matching
 * template expression wherever they end up.
 */
export abstract class Value implements ValueDeclaration {
  /** The Go-template operand that reads the value, e.g. `.Values.image.tag`. */
  public readonly expression: string;
  /** The default written to values.yaml, if any. */
  public readonly default?: JsonValue;

  protected constructor(
    public readonly path: string,
    public readonly type: ValueType,
    public readonly description: string,
    public readonly required: boolean,
    public readonly schema: Record<string, unknown>,
    defaultValue?: JsonValue,
  ) {
    this.default = defaultValue;
    const operand = `.Values.${path}`;
    const fallback = type === ValueType.BOOLEAN ? 'false' : type === ValueType.STRING || type === ValueType.SECRET || type === ValueType.ENUM ? '""' : undefined;
    if (this.default !== undefined) this.expression = operand;
    else if (required) this.expression = `(required ${JSON.stringify(`value ${path} is required: ${description}`)} ${operand})`;
    else this.expression = fallback ? `(${operand} | default ${fallback})` : operand;
  }

  /** A reference to this value for the given use. */
  public reference(use: ReferenceUse): Reference {
    return { expression: this.expression, use, description: `value ${this.path}`, secret: this.type === ValueType.SECRET };
  }

  /** The value as a string token (numbers and booleans are printed). */
  public asString(): string {
    const printed = this.type === ValueType.INTEGER ? `(${this.expression} | int64 | toString)` : `(${this.expression} | toString)`;
    const expression = this.type === ValueType.STRING || this.type === ValueType.ENUM || this.type === ValueType.SECRET ? this.expression : printed;
    return stringToken({ expression, use: ReferenceUse.STRING, description: `value ${this.path}`, secret: this.type === ValueType.SECRET });
  }

  /** The string token, so template literals like `` `${repo}:${tag}` `` compose. */
  public toString(): string {
    return this.asString();
  }
}

/** A string value. */
export class StringValue extends Value {
  /** @internal */
  constructor(path: string, options: StringValueOptions, type: ValueType.STRING | ValueType.SECRET = ValueType.STRING) {
    super(path, type, options.description, options.required ?? false, {
      type: 'string',
      ...(options.pattern !== undefined && { pattern: options.pattern }),
      ...((options.minLength ?? (options.required ? 1 : undefined)) !== undefined && { minLength: options.minLength ?? 1 }),
      ...(options.maxLength !== undefined && { maxLength: options.maxLength }),
    }, options.default);
  }
}

/** A secret string: read through a Secret, never defaulted, masked in the README. */
export class SecretValue extends StringValue {
  /** @internal */
  constructor(path: string, options: SecretValueOptions) {
    super(path, { description: options.description, required: options.required }, ValueType.SECRET);
  }
}

/** One of a fixed set of strings. */
export class EnumValue extends Value {
  /** The allowed strings. */
  public readonly values: readonly string[];

  /** @internal */
  constructor(path: string, options: EnumValueOptions) {
    super(path, ValueType.ENUM, options.description, options.required ?? false, { type: 'string', enum: [...options.values] }, options.default);
    this.values = options.values;
  }
}

/** An integer or floating-point value. */
export class NumericValue extends Value {
  /** @internal */
  constructor(path: string, type: ValueType.INTEGER | ValueType.NUMBER, options: NumericValueOptions) {
    super(path, type, options.description, options.required ?? false, {
      type: type === ValueType.INTEGER ? 'integer' : 'number',
      ...(options.minimum !== undefined && { minimum: options.minimum }),
      ...(options.maximum !== undefined && { maximum: options.maximum }),
    }, options.default);
  }

  /** The value as a number token, rendered `| int64` for integers. */
  public asNumber(): number {
    return numberToken(this.reference(this.type === ValueType.INTEGER ? ReferenceUse.INTEGER : ReferenceUse.NUMBER));
  }
}

/** A boolean value, also usable as the condition of a resource or field. */
export class BooleanValue extends Value {
  /** @internal */
  constructor(path: string, options: ValueOptions<boolean>) {
    super(path, ValueType.BOOLEAN, options.description, options.required ?? false, { type: 'boolean' }, options.default);
  }

  /** The value as a boolean token. */
  public asBoolean(): boolean {
    return booleanToken(this.reference(ReferenceUse.BOOLEAN));
  }
}

/** A list, passed through whole with `toYaml`. */
export class ListValue extends Value {
  /** @internal */
  constructor(path: string, options: ListValueOptions) {
    super(path, ValueType.LIST, options.description, options.required ?? false, {
      type: 'array',
      ...(options.items !== undefined && { items: options.items }),
    }, options.default);
  }

  /** The list as a token for a whole field (or spliced into a list); omitted when empty. */
  public asList<T = unknown>(): T[] {
    return objectToken<T[]>(this.reference(ReferenceUse.OBJECT));
  }
}

/** A map, passed through whole with `toYaml` (resources, nodeSelector, annotations, ...). */
export class ObjectValue extends Value {
  /** @internal */
  constructor(path: string, options: ObjectValueOptions) {
    super(path, ValueType.OBJECT, options.description, options.required ?? false, {
      type: 'object',
      ...(options.entries !== undefined && { additionalProperties: options.entries }),
    }, options.default);
  }

  /** The map as a token for a whole field; the field is omitted when the map is empty. */
  public asObject<T = Record<string, unknown>>(): T {
    return objectToken<T>(this.reference(ReferenceUse.OBJECT));
  }
}
