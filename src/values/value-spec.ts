import { describeValue, HelmSynthError } from '../errors';
import {
  EnumValueOptions,
  JsonValue,
  ListValueOptions,
  NumericValueOptions,
  ObjectValueOptions,
  SecretValueOptions,
  StringValueOptions,
  Value,
  ValueOptions,
  ValueType,
} from './value';

const VALUE_SPEC = Symbol.for('helm-synth.ValueSpec');
const GROUP_SPEC = Symbol.for('helm-synth.ValuesGroupSpec');

/**
 * Type-level only (no object holds it): the value class a leaf declares, the TypeScript type of
 * what a user writes for it, and whether a user must write it (`required` with no default).
 */
export interface ValuePhantom<V extends Value, T, R extends boolean> {
  /** The value class handed out for the leaf (`StringValue`, `NumericValue`, ...). */
  readonly value: V;
  /** What values.yaml and the schema hold there, as a TypeScript type. */
  readonly type: T;
  /** Whether a user's values must hold the key. */
  readonly required: R;
}

/**
 * A declared value as `HelmChart.values.define` hands it out: the value itself (use it as any
 * value: `asString()`, `asNumber()`, `${value}`), typed with what `ValuesOf` reads.
 */
export type TypedValue<V extends Value, T, R extends boolean> = V & {
  /** Type-level only: never set. */
  readonly '~values': ValuePhantom<V, T, R>;
};

/**
 * The TypeScript type of a secret value in a user's values: a string (any string is one), marked
 * so an environment's or a parent chart's values type leaves it out (a secret is passed at install
 * time, never written to a values file).
 */
export type SecretString = string & {
  /** Type-level only: never set. */
  readonly '~secret'?: true;
};

/** Options of a value in a tree: those of the string API's declaration of the same type. */
export type ValueSpecOptions =
  | StringValueOptions
  | SecretValueOptions
  | NumericValueOptions
  | ValueOptions<boolean>
  | EnumValueOptions
  | ListValueOptions
  | ObjectValueOptions;

/**
 * One value of a values tree, not yet declared (no chart needed): made by `Values.string(...)`,
 * `Values.integer(...)`, ...; `HelmChart.values.define` declares it at the path of its key. The
 * same descriptor can be declared at several paths and in several charts.
 */
export class ValueSpec<V extends Value = Value, T = unknown, R extends boolean = boolean> {
  /** True for a ValueSpec of any copy of the library. */
  public static isValueSpec(x: unknown): x is ValueSpec {
    return typeof x === 'object' && x !== null && VALUE_SPEC in x;
  }

  /** Type-level only: never set. */
  declare public readonly '~values': ValuePhantom<V, T, R>;

  /** The type of value it declares. */
  public readonly type: ValueType;
  /** The options of its declaration, checked when it is declared. */
  public readonly options: ValueSpecOptions;

  /** @internal */
  public constructor(type: ValueType, options: ValueSpecOptions) {
    this.type = type;
    this.options = options;
    Object.defineProperty(this, VALUE_SPEC, { value: true });
  }
}

/**
 * A group of a values tree with its description (the comment above its key in values.yaml, its
 * description in the schema and its row in the README). A construct that brings its own values
 * returns one from a static method; a chart mounts it under a key, as often as needed.
 */
export class ValuesGroupSpec<S extends ValuesShape = ValuesShape> {
  /** True for a ValuesGroupSpec of any copy of the library. */
  public static isValuesGroupSpec(x: unknown): x is ValuesGroupSpec {
    return typeof x === 'object' && x !== null && GROUP_SPEC in x;
  }

  /** Type-level only: never set. */
  declare public readonly '~group': S;

  /** What the group is. */
  public readonly description: string;
  /** Its keys. */
  public readonly shape: S;

  /** @internal */
  public constructor(description: string, shape: S) {
    this.description = description;
    this.shape = shape;
    Object.defineProperty(this, GROUP_SPEC, { value: true });
  }
}

/** What a key of a values tree holds: a value, a described group, or a plain object (a group without description). */
export type ValuesShapeEntry = ValueSpec<any, any, any> | ValuesGroupSpec<any> | ValuesShape;

/** The keys of a values tree (or of one of its groups). */
export interface ValuesShape {
  /** A key and what it holds. */
  readonly [key: string]: ValuesShapeEntry;
}

/** The declared values of a tree, by key: what `HelmChart.values.define(shape)` returns. */
export type ValuesTree<S> = S extends { readonly '~group': infer Inner }
  ? ValuesTree<Inner>
  : S extends { readonly '~values': ValuePhantom<infer V, infer T, infer R> }
    ? TypedValue<V, T, R>
    : { readonly [K in keyof S]: ValuesTree<S[K]> };

/**
 * The TypeScript type of a user's values for a tree (a shape, a group or what `define` returned):
 * the keys values.yaml, values.schema.json and the README show, optional unless a user must give
 * them (a `required` value with no default, and the groups holding one).
 */
export type ValuesOf<S> = S extends { readonly '~group': infer Inner }
  ? ValuesOf<Inner>
  : S extends { readonly '~values': ValuePhantom<any, infer T, any> }
    ? T
    : Flatten<
        { -readonly [K in keyof S as RequiredInValues<S[K]> extends true ? K : never]: ValuesOf<S[K]> } & {
          -readonly [K in keyof S as RequiredInValues<S[K]> extends true ? never : K]?: ValuesOf<S[K]>;
        }
      >;

/** An object type written out as one object (for readable hovers and messages). */
export type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** True when a user's values must hold a key holding `S`: a value a user must give, or a group holding one. */
export type RequiredInValues<S> = S extends { readonly '~group': infer Inner }
  ? RequiredInValues<Inner>
  : S extends { readonly '~values': ValuePhantom<any, any, infer R> }
    ? [R] extends [true]
      ? true
      : false
    : true extends { [K in keyof S]-?: RequiredInValues<S[K]> }[keyof S]
      ? true
      : false;

/** Whether options make a value one a user must give: `required: true` and no default. */
export type RequiredOf<O> = O extends { readonly required: true } ? (O extends { readonly default: unknown } ? false : true) : false;

/** The TypeScript type of a JSON Schema's `type` keyword, for `items` and `entries`. */
export type JsonTypeOf<S> = S extends { readonly type: 'string' }
  ? string
  : S extends { readonly type: 'integer' | 'number' }
    ? number
    : S extends { readonly type: 'boolean' }
      ? boolean
      : S extends { readonly type: 'array' }
        ? JsonValue[]
        : S extends { readonly type: 'object' }
          ? { [key: string]: JsonValue }
          : JsonValue;

/** The item type of a list's options (from `items`' `type`). */
export type ListItemOf<O> = O extends { readonly items: infer I } ? JsonTypeOf<I> : JsonValue;

/** The entry type of a map's options (from `entries`' `type`). */
export type MapEntryOf<O> = O extends { readonly entries: infer E } ? JsonTypeOf<E> : JsonValue;

/**
 * Defaults for a tree or group (every key optional, at any depth), typed by what values.yaml holds
 * there: what `Values.withDefaults` takes.
 */
export type DefaultsOf<S> = S extends { readonly '~group': infer Inner }
  ? DefaultsOf<Inner>
  : S extends { readonly '~values': ValuePhantom<any, infer T, any> }
    ? T
    : { -readonly [K in keyof S]?: DefaultsOf<S[K]> };

/** A copy of a tree or group whose values named in `defaults` have those defaults; see `Values.withDefaults`. */
export function withDefaults<S extends ValuesShape | ValuesGroupSpec<any>>(block: S, defaults: DefaultsOf<S>, at = ''): S {
  if (ValuesGroupSpec.isValuesGroupSpec(block)) {
    return new ValuesGroupSpec(block.description, withDefaults(block.shape, defaults as DefaultsOf<ValuesShape>, at)) as S;
  }
  const where = 'Values.withDefaults';
  if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) {
    throw new HelmSynthError(where, `defaults${at ? ` of ${at}` : ''} ${describeValue(defaults)} must be an object of keys of the block`);
  }
  const shape = block as ValuesShape;
  const copy: Record<string, ValuesShapeEntry> = { ...shape };
  for (const [key, value] of Object.entries(defaults as Record<string, unknown>)) {
    if (value === undefined) continue;
    const path = at ? `${at}.${key}` : key;
    const entry = Object.prototype.hasOwnProperty.call(shape, key) ? shape[key] : undefined;
    if (entry === undefined) {
      throw new HelmSynthError(where, `the block has no key ${path} (its keys${at ? ` at ${at}` : ''}: ${Object.keys(shape).join(', ')})`);
    }
    if (!ValueSpec.isValueSpec(entry)) {
      copy[key] = withDefaults(entry as ValuesShape | ValuesGroupSpec, value as DefaultsOf<ValuesShape>, path);
      continue;
    }
    const options = entry.options as { required?: boolean; default?: unknown };
    if (options.required && options.default === undefined) {
      throw new HelmSynthError(
        where,
        `${path} is a value a user must give (required): a default would make it optional, and its type with it`,
      );
    }
    copy[key] = new ValueSpec(entry.type, { ...entry.options, default: value } as ValueSpecOptions);
  }
  return copy as S;
}
