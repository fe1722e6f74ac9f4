import { isAbsolute, relative, resolve, sep } from 'node:path';
import { describeValue, HelmSynthError } from '../errors';
import { checkText, hasLoneSurrogate } from '../tokens/checks';
import { describeText, hasToken } from '../tokens/token';
import {
  BooleanValue,
  EnumValue,
  EnumValueOptions,
  JsonValue,
  ListValue,
  ListValueOptions,
  NumericValue,
  NumericValueOptions,
  ObjectValue,
  ObjectValueOptions,
  SecretValue,
  SecretValueOptions,
  StringValue,
  StringValueOptions,
  Value,
  ValueFields,
  ValueOptions,
  ValueOwner,
  ValueType,
} from './value';
import {
  DefaultsOf,
  ListItemOf,
  MapEntryOf,
  RequiredOf,
  SecretString,
  ValueSpec,
  ValuesGroupSpec,
  ValuesShape,
  ValuesTree,
  withDefaults,
} from './value-spec';

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names JavaScript gives meaning to on every object (`__proto__`, `constructor`, `prototype`,
 * `toString`, ...): as value paths or keys they would read or replace the object machinery of the
 * trees synthesis builds instead of a value.
 */
const OBJECT_INTERNALS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
/** The YAML 1.1 merge key, which Helm's `toYaml` (Go's yaml.v2) writes unquoted. */
const YAML_MERGE_KEY = '<<';

/**
 * The 64-bit integers an integer value renders as (`| int64`): -2^63, and 2^63 - 1 as the nearest
 * double (2^63). values.schema.json writes them with their exact digits.
 */
export const INT64_MIN = -(2 ** 63);
/** See {@link INT64_MIN}. */
export const INT64_MAX = 2 ** 63;

/** Keys Helm itself gives meaning to at the top of a chart's values. */
const RESERVED_TOP_LEVEL = new Set(['global']);

/**
 * @internal A check of the values in effect (given values merged over the defaults): the problem,
 * its paths prefixed with `at`, or undefined.
 */
export type ValuesRule = (values: unknown, at: string) => string | undefined;

/** A top-level key handed to a dependency: the schema accepts any map there, with typed known keys. */
export interface Passthrough {
  /** What it is, for values.yaml and the README. */
  readonly description: string;
  /** Written under the key in values.yaml. */
  readonly defaults: { readonly [key: string]: JsonValue };
  /** JSON Schema of known keys under it (`properties`); unknown keys stay allowed. */
  readonly properties: Readonly<Record<string, unknown>>;
}

const VALUES_BRAND = Symbol.for('helm-synth.Values');

/**
 * The values of one chart: declarations in order, checked at the boundary (types, constraints,
 * defaults, paths that clash). `HelmChart.values` is the instance of a chart; values.yaml,
 * values.schema.json and the README's parameter table are all written from it.
 */
export class Values {
  /** True for a Values of any copy of the library (a brand check, not `instanceof`). */
  public static isValues(x: unknown): x is Values {
    return typeof x === 'object' && x !== null && VALUES_BRAND in x;
  }

  private readonly declarations = new Map<string, Value>();
  private readonly valueRules: ValuesRule[] = [];
  /** Where each value was first declared: the stack of that call, read only for a message. */
  private readonly declaredAt = new Map<string, Error>();
  private readonly groupDescriptions = new Map<string, string>();
  private readonly narrowings = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly passthroughs = new Map<
    string,
    { description: string; defaults: { [key: string]: JsonValue }; properties: Record<string, unknown> }
  >();

  /** A string value of a values tree (`HelmChart.values.define`), declared where the tree is mounted. */
  public static string<const O extends StringValueOptions>(options: O): ValueSpec<StringValue, string, RequiredOf<O>> {
    return new ValueSpec(ValueType.STRING, { ...options });
  }

  /** A secret string of a values tree: no default, masked in the README, only for a Secret's `stringData`. */
  public static secret<const O extends SecretValueOptions>(options: O): ValueSpec<SecretValue, SecretString, RequiredOf<O>> {
    return new ValueSpec(ValueType.SECRET, { ...options });
  }

  /** An integer value of a values tree (it needs a default or `required`). */
  public static integer<const O extends NumericValueOptions>(options: O): ValueSpec<NumericValue, number, RequiredOf<O>> {
    return new ValueSpec(ValueType.INTEGER, { ...options });
  }

  /** A floating-point value of a values tree (it needs a default or `required`). */
  public static number<const O extends NumericValueOptions>(options: O): ValueSpec<NumericValue, number, RequiredOf<O>> {
    return new ValueSpec(ValueType.NUMBER, { ...options });
  }

  /** A boolean value of a values tree. */
  public static boolean<const O extends ValueOptions<boolean>>(options: O): ValueSpec<BooleanValue, boolean, RequiredOf<O>> {
    return new ValueSpec(ValueType.BOOLEAN, { ...options });
  }

  /** A value of a values tree that is one of a fixed set of strings; its TypeScript type is their union. */
  public static enum<const O extends EnumValueOptions>(options: O): ValueSpec<EnumValue, O['values'][number], RequiredOf<O>> {
    return new ValueSpec(ValueType.ENUM, { ...options });
  }

  /** A list of a values tree; its items are typed by `items`' JSON Schema `type`. */
  public static list<const O extends ListValueOptions>(options: O): ValueSpec<ListValue, Array<ListItemOf<O>>, RequiredOf<O>> {
    return new ValueSpec(ValueType.LIST, { ...options });
  }

  /** A map of a values tree; its entries are typed by `entries`' JSON Schema `type`. */
  public static object<const O extends ObjectValueOptions>(
    options: O,
  ): ValueSpec<ObjectValue, { [key: string]: MapEntryOf<O> }, RequiredOf<O>> {
    return new ValueSpec(ValueType.OBJECT, { ...options });
  }

  /**
   * A described group of a values tree: the comment above its key in values.yaml, its description
   * in the schema and its row in the README. A construct that brings its own values returns one
   * (`static values(props)`), and a chart mounts it under any key, as often as needed.
   */
  public static group<S extends ValuesShape>(description: string, shape: S): ValuesGroupSpec<S> {
    return new ValuesGroupSpec(description, shape);
  }

  /**
   * A copy of a values block (or tree) with other defaults for some of its values, typed by the
   * block (`Values.withDefaults(WebService.values(), { port: 9000, image: { tag: '2.0' } })`): for
   * a mount whose defaults the block's own parameters do not cover. The defaults are checked when
   * the copy is declared, as any default; a key the block lacks, or a `required` value, is an error.
   */
  public static withDefaults<S extends ValuesShape | ValuesGroupSpec<any>>(block: S, defaults: DefaultsOf<S>): S {
    return withDefaults(block, defaults);
  }

  /**
   * The values of a chart; `chart.values` is the one users get (charts make it, users never do).
   * @internal
   */
  public static forOwner(owner: ValueOwner): Values {
    return new Values(owner);
  }

  private constructor(private readonly owner: ValueOwner) {
    Object.defineProperty(this, VALUES_BRAND, { value: true });
  }

  private get where(): string {
    return this.owner.node.path;
  }

  /**
   * Declares a tree of values at the top of the chart's values: each key of `shape` a value
   * (`Values.string(...)`, ...), a described group (`Values.group(...)`, a construct's values
   * block) or a plain object (a group without description). Returns the declared values by key,
   * typed (`ValuesOf<typeof tree>` is the type of a user's values for it). The values join those
   * declared by path: the same checks, one declaration per path.
   */
  public define<S extends ValuesShape>(shape: S): ValuesTree<S> {
    const pending: Array<{ value: Value; target: string }> = [];
    const tree = this.defineGroup(shape, '', pending);
    for (const { value, target } of pending) {
      const unless = this.requiredUnlessTarget(value.path, target, false);
      if (value.requiredUnless === undefined) value.bindRequiredUnless(unless);
      else if (value.requiredUnless !== unless) {
        throw new HelmSynthError(
          this.where,
          `value ${value.path} is declared twice with different requiredUnless (${value.requiredUnless.path}, then ${unless.path})`,
        );
      }
    }
    return tree as ValuesTree<S>;
  }

  private defineGroup(
    shape: unknown,
    prefix: string,
    pending: Array<{ value: Value; target: string }>,
    ancestors: readonly object[] = [],
  ): Record<string, unknown> {
    const at = prefix || '(the top of the values)';
    if (typeof shape !== 'object' || shape === null || Array.isArray(shape) || !isPlainObject(shape)) {
      throw new HelmSynthError(this.where, `values tree at ${at}: ${describeValue(shape)} is not an object of values`);
    }
    if (ancestors.includes(shape)) throw new HelmSynthError(this.where, `values tree at ${at}: the group holds itself`);
    const inside = [...ancestors, shape];
    const entries = Object.entries(shape);
    if (entries.length === 0) throw new HelmSynthError(this.where, `values tree at ${at}: a group needs at least one value`);
    const declared: Record<string, unknown> = {};
    for (const [key, entry] of entries) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (key.includes('.')) {
        throw new HelmSynthError(
          this.where,
          `values tree key ${describeValue(key)}${prefix ? ` at ${prefix}` : ''} holds a dot: a tree's key is one key of values.yaml (nest groups: { a: { b: ... } })`,
        );
      }
      this.checkPath(path);
      if (ValueSpec.isValueSpec(entry)) declared[key] = this.declareSpec(path, entry, pending);
      else if (ValuesGroupSpec.isValuesGroupSpec(entry)) {
        const existing = this.groupDescriptions.get(path);
        if (existing !== undefined && existing !== entry.description) {
          throw new HelmSynthError(
            this.where,
            `group ${path} is described twice: as ${describeValue(existing)} and as ${describeValue(entry.description)}`,
          );
        }
        this.describe(path, entry.description);
        declared[key] = this.defineGroup(entry.shape, path, pending, inside);
      } else if (Value.isValue(entry)) {
        throw new HelmSynthError(
          this.where,
          `values tree key ${path} holds the declared value ${entry.path}: a tree takes descriptors (Values.string({...}), ...), declared where it is mounted`,
        );
      } else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry) && isPlainObject(entry)) {
        declared[key] = this.defineGroup(entry, path, pending, inside);
      } else {
        throw new HelmSynthError(
          this.where,
          `values tree key ${path} holds ${describeText(entry)}: expected a value (Values.string({...}), Values.integer({...}), ...), a group (Values.group(...)) or an object of them`,
        );
      }
    }
    return Object.freeze(declared);
  }

  private declareSpec(path: string, spec: ValueSpec, pending: Array<{ value: Value; target: string }>): Value {
    const options = spec.options as any;
    if (spec.type === ValueType.SECRET && typeof options?.requiredUnless === 'string') {
      const { requiredUnless: target, ...rest } = options as SecretValueOptions & { requiredUnless: string };
      const declared = hasToken(target) ? undefined : this.declarations.get(relativeValuePath(path, target));
      if (declared) return this.secret(path, { ...rest, requiredUnless: declared });
      if (rest.required) throw new HelmSynthError(this.where, `value ${path}: required and requiredUnless exclude each other`);
      const value = this.secret(path, rest);
      pending.push({ value, target });
      return value;
    }
    switch (spec.type) {
      case ValueType.STRING:
        return this.string(path, options);
      case ValueType.SECRET:
        return this.secret(path, options);
      case ValueType.INTEGER:
        return this.integer(path, options);
      case ValueType.NUMBER:
        return this.number(path, options);
      case ValueType.BOOLEAN:
        return this.boolean(path, options);
      case ValueType.ENUM:
        return this.enum(path, options);
      case ValueType.LIST:
        return this.list(path, options);
      case ValueType.OBJECT:
        return this.object(path, options);
    }
  }

  /** Declares a string value. */
  public string(path: string, options: StringValueOptions): StringValue {
    const common = this.common(path, options, (d) => typeof d === 'string', 'a string');
    const minLength = this.length(path, options?.minLength, 'minLength');
    const maxLength = this.length(path, options?.maxLength, 'maxLength');
    if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
      throw new HelmSynthError(this.where, `value ${path}: minLength ${minLength} is greater than maxLength ${maxLength}`);
    }
    const effectiveMin = minLength ?? (common.required ? 1 : undefined);
    const pattern = options.pattern === undefined ? undefined : this.pattern(path, options.pattern);
    if (typeof options.default === 'string') {
      const length = [...options.default].length;
      if ((effectiveMin !== undefined && length < effectiveMin) || (maxLength !== undefined && length > maxLength)) {
        throw new HelmSynthError(
          this.where,
          `value ${path}: default ${describeValue(options.default)} has ${length} characters, outside [${effectiveMin ?? 0}, ${maxLength ?? 'inf'}]`,
        );
      }
      if (pattern && !pattern(options.default)) {
        throw new HelmSynthError(
          this.where,
          `value ${path}: default ${describeValue(options.default)} does not match pattern ${describeValue(options.pattern)}`,
        );
      }
    }
    return this.declare(
      new StringValue({
        ...common,
        type: ValueType.STRING,
        schema: {
          type: 'string',
          ...(options.pattern !== undefined && { pattern: options.pattern }),
          ...(effectiveMin !== undefined && { minLength: effectiveMin }),
          ...(maxLength !== undefined && { maxLength }),
        },
      }),
    );
  }

  /** Declares a secret string: it has no default, is masked in the README and only reaches a Secret's `stringData`. */
  public secret(path: string, options: SecretValueOptions): SecretValue {
    if (options && 'default' in options) {
      throw new HelmSynthError(this.where, `value ${path}: a secret value cannot have a default (it would be published in values.yaml)`);
    }
    const common = this.common(path, options, () => true, '');
    const unless =
      options.requiredUnless === undefined ? undefined : this.requiredUnlessTarget(path, options.requiredUnless, common.required);
    return this.declare(
      new SecretValue({
        ...common,
        type: ValueType.SECRET,
        schema: { type: 'string', ...(common.required && { minLength: 1 }) },
        ...(unless && { requiredUnless: unless }),
      }),
    );
  }

  /**
   * The value `requiredUnless` names: a value of this chart (string, enum or boolean), given as
   * itself or as a path relative to the group of `path`.
   */
  private requiredUnlessTarget(path: string, target: unknown, required: boolean): Value {
    if (required) throw new HelmSynthError(this.where, `value ${path}: required and requiredUnless exclude each other`);
    let value: Value | undefined;
    if (Value.isValue(target)) {
      if (this.declarations.get(target.path) !== target) {
        throw new HelmSynthError(this.where, `value ${path}: requiredUnless names ${target.path}, which is not a value of this chart`);
      }
      value = target;
    } else if (typeof target === 'string' && !hasToken(target)) {
      const absolute = relativeValuePath(path, target);
      this.checkPath(absolute);
      value = this.declarations.get(absolute);
      if (!value) {
        throw new HelmSynthError(
          this.where,
          `value ${path}: requiredUnless ${describeValue(target)} names ${absolute}, which is not declared (declare it first)`,
        );
      }
    } else {
      throw new HelmSynthError(
        this.where,
        `value ${path}: requiredUnless ${describeText(target)} must be a value of this chart or the path of one beside it`,
      );
    }
    if (value.path === path) throw new HelmSynthError(this.where, `value ${path}: requiredUnless names the value itself`);
    if (![ValueType.STRING, ValueType.ENUM, ValueType.BOOLEAN].includes(value.type)) {
      throw new HelmSynthError(
        this.where,
        `value ${path}: requiredUnless names ${value.path}, a ${value.type} value; it takes a string, enum or boolean value (set: non-empty, or true)`,
      );
    }
    const alwaysGiven = value.default !== undefined || value.required;
    const admitsEmpty =
      value.type === ValueType.BOOLEAN ||
      (value.type === ValueType.ENUM ? (value.schema.enum as unknown[]).includes('') : !((value.schema.minLength as number) > 0));
    if (alwaysGiven && !admitsEmpty) {
      throw new HelmSynthError(
        this.where,
        `value ${path}: requiredUnless names ${value.path}, which is always set (${value.type === ValueType.ENUM ? `none of its values ${describeValue(value.schema.enum)} is ''` : 'its minLength refuses an empty string'}${value.default !== undefined ? ` and it has the default ${describeValue(value.default)}` : ' and it is required'}), so ${path} would never be required`,
      );
    }
    return value;
  }

  /** Declares an integer value (rendered with `int64`, never as `1e+06`). It needs a default or `required`. */
  public integer(path: string, options: NumericValueOptions): NumericValue {
    const common = this.common(path, options, (d) => Number.isSafeInteger(d), 'an integer');
    const { minimum = INT64_MIN, maximum = INT64_MAX } = this.bounds(path, options, common);
    for (const [name, bound] of [
      ['minimum', minimum],
      ['maximum', maximum],
    ] as const) {
      if (bound < INT64_MIN || bound > INT64_MAX) {
        throw new HelmSynthError(
          this.where,
          `value ${path}: ${name} ${bound} is outside the 64-bit integers (-9223372036854775808 to 9223372036854775807) that an integer value renders as`,
        );
      }
    }
    return this.declare(new NumericValue({ ...common, type: ValueType.INTEGER, schema: { type: 'integer', minimum, maximum } }));
  }

  /**
   * @internal Narrows a value's schema for a use that needs it (an integer in an int32 field, a map
   * merged into annotations, the name of an existing object): `constraint` (JSON Schema) joins its
   * schema through `allOf`, and its default must pass it. `use` says what needs it, for messages.
   */
  public narrow(value: Value, constraint: Record<string, unknown>, use: string): void {
    if (this.declarations.get(value.path) !== value) {
      throw new HelmSynthError(this.where, `value ${value.path} is not a value of this chart, so ${use} cannot use it`);
    }
    const key = JSON.stringify(constraint);
    const found = this.narrowings.get(value.path) ?? new Map<string, Record<string, unknown>>();
    if (found.has(key)) return;
    if (value.default !== undefined && simpleSchemaAccepts(constraint, value.default) !== true) {
      const validate = this.compileSchema(value.path, constraint, use, false);
      if (!validate(value.default)) {
        throw new HelmSynthError(
          this.where,
          `value ${value.path}: default ${describeValue(value.default)} cannot be used as ${use}: ${validate.errors?.[0]?.instancePath ?? ''} ${validate.errors?.[0]?.message ?? 'invalid'}`.replace(
            ':  ',
            ': ',
          ),
        );
      }
    }
    found.set(key, constraint);
    this.narrowings.set(value.path, found);
  }

  /** @internal The constraints uses of a value added with `narrow`, in the order added. */
  public narrowingsOf(path: string): ReadonlyArray<Readonly<Record<string, unknown>>> {
    return [...(this.narrowings.get(path)?.values() ?? [])];
  }

  /** Declares a floating-point value. It needs a default or `required`. */
  public number(path: string, options: NumericValueOptions): NumericValue {
    const common = this.common(path, options, (d) => typeof d === 'number' && Number.isFinite(d), 'a finite number');
    return this.declare(
      new NumericValue({ ...common, type: ValueType.NUMBER, schema: { type: 'number', ...this.bounds(path, options, common) } }),
    );
  }

  /** Declares a boolean value. */
  public boolean(path: string, options: ValueOptions<boolean>): BooleanValue {
    const common = this.common(path, options, (d) => typeof d === 'boolean', 'a boolean');
    return this.declare(new BooleanValue({ ...common, type: ValueType.BOOLEAN, schema: { type: 'boolean' } }));
  }

  /** Declares a value that is one of a fixed set of strings. */
  public enum(path: string, options: EnumValueOptions): EnumValue {
    const allowed = options?.values;
    if (!Array.isArray(allowed) || allowed.length === 0 || allowed.some((v) => typeof v !== 'string' || hasToken(v))) {
      throw new HelmSynthError(
        this.where,
        `value ${path}: an enum needs at least one allowed literal string, got ${describeText(allowed)}`,
      );
    }
    const duplicate = allowed.find((v, i) => allowed.indexOf(v) !== i);
    if (duplicate !== undefined)
      throw new HelmSynthError(this.where, `value ${path}: enum value ${describeValue(duplicate)} is listed twice`);
    const common = this.common(path, options, (d) => allowed.includes(d as string), `one of ${describeValue(allowed)}`);
    return this.declare(new EnumValue({ ...common, type: ValueType.ENUM, schema: { type: 'string', enum: [...allowed] } }, [...allowed]));
  }

  /** Declares a list, passed through to templates whole. */
  public list(path: string, options: ListValueOptions): ListValue {
    const common = this.common(path, options, (d) => Array.isArray(d), 'a list');
    const items = this.subschema(path, options.items, 'items');
    if (items && Array.isArray(options.default)) options.default.forEach((item, i) => items.check(item, `default[${i}]`));
    return this.declare(
      new ListValue({ ...common, type: ValueType.LIST, schema: { type: 'array', ...(items && { items: items.schema }) } }),
    );
  }

  /** Declares a map, passed through to templates whole. */
  public object(path: string, options: ObjectValueOptions): ObjectValue {
    const common = this.common(path, options, (d) => typeof d === 'object' && d !== null && !Array.isArray(d), 'a map');
    const entries = this.subschema(path, options.entries, 'entries');
    if (entries && options.default) Object.entries(options.default).forEach(([key, item]) => entries.check(item, `default.${key}`));
    return this.declare(
      new ObjectValue({
        ...common,
        type: ValueType.OBJECT,
        schema: { type: 'object', ...(entries && { additionalProperties: entries.schema }) },
      }),
    );
  }

  /** Describes a group of values (an intermediate key such as `image`): the comment above it in values.yaml. */
  public describe(groupPath: string, description: string): void {
    this.checkPath(groupPath);
    this.literalText(description, `description of group ${groupPath}`);
    if (this.declarations.has(groupPath)) {
      throw new HelmSynthError(this.where, `value ${groupPath}: is a value, not a group`);
    }
    this.groupDescriptions.set(groupPath, description);
  }

  /**
   * Allows a top-level key the chart does not declare itself but passes on (a dependency's values,
   * under its name or alias). The schema accepts any map there, checking the `properties` given;
   * `defaults` are written under it in values.yaml.
   */
  public allowPassthrough(
    key: string,
    description: string,
    defaults: { [key: string]: JsonValue } = {},
    properties: Record<string, unknown> = {},
  ): void {
    this.checkPath(key);
    if (key.includes('.')) throw new HelmSynthError(this.where, `passthrough key ${describeValue(key)} must be a top-level key`);
    this.literalText(description, `description of ${key}`);
    if (this.declarations.has(key) || [...this.declarations.keys()].some((p) => p.startsWith(`${key}.`))) {
      throw new HelmSynthError(this.where, `values key ${key} is already used by the chart's own values`);
    }
    this.checkJson(defaults, `${key}`);
    this.checkPassthroughSchema(key, properties, defaults);
    this.passthroughs.set(key, { description, defaults: structuredClone(defaults), properties: { ...properties } });
  }

  /**
   * A boolean under a passthrough key (e.g. `postgresql.enabled`, a dependency's Chart.yaml
   * condition): typed in the schema, written to values.yaml, usable as a condition of this chart.
   * @internal
   */
  public passthroughBoolean(path: string, options: ValueOptions<boolean> & { readonly default: boolean }): BooleanValue {
    const [key, ...rest] = path.split('.');
    const passthrough = this.passthroughs.get(key);
    if (!passthrough || rest.length !== 1) throw new HelmSynthError(this.where, `value ${path} must be <passthrough key>.<name>`);
    const common = this.common(path, options, (d) => typeof d === 'boolean', 'a boolean');
    const others = { ...passthrough.defaults };
    delete others[rest[0]];
    passthrough.defaults = { [rest[0]]: options.default, ...others };
    passthrough.properties = { [rest[0]]: { type: 'boolean', description: common.description }, ...passthrough.properties };
    return new BooleanValue({ ...common, type: ValueType.BOOLEAN, schema: { type: 'boolean' } });
  }

  /**
   * @internal Adds a check of values given over the defaults (an environment's, a parent chart's)
   * beyond the schema: what a template's `fail` would refuse at install. `at` prefixes the paths.
   */
  public addRule(rule: ValuesRule): void {
    this.valueRules.push(rule);
  }

  /** @internal The checks `addRule` added, in order. */
  public get rules(): readonly ValuesRule[] {
    return this.valueRules;
  }

  /** Every declaration, in declaration order. */
  public get all(): readonly Value[] {
    return [...this.declarations.values()];
  }

  /** @internal Top-level keys passed on to dependencies. */
  public get passthrough(): ReadonlyMap<string, Passthrough> {
    return this.passthroughs;
  }

  /** Descriptions of groups, by path. */
  public get groups(): ReadonlyMap<string, string> {
    return this.groupDescriptions;
  }

  /** The declaration at a path, if any. */
  public tryGet(path: string): Value | undefined {
    return this.declarations.get(path);
  }

  private common<T>(
    path: string,
    options: ValueOptions<T> | SecretValueOptions,
    isType: (value: JsonValue) => boolean,
    expected: string,
  ): Omit<ValueFields, 'type' | 'schema'> {
    this.checkPath(path);
    if (!options || typeof options !== 'object')
      throw new HelmSynthError(this.where, `value ${path} needs options with at least a description`);
    const description = this.literalText(options.description, `value ${path}: description`);
    if (options.required !== undefined && typeof options.required !== 'boolean') {
      throw new HelmSynthError(this.where, `value ${path}: required ${describeValue(options.required)} must be true or false`);
    }
    const value = 'default' in options ? (options.default as JsonValue | undefined) : undefined;
    if (value !== undefined) {
      this.checkJson(value, `${path}: default`);
      if (!isType(value)) throw new HelmSynthError(this.where, `value ${path}: default ${describeValue(value)} is not ${expected}`);
    }
    return { owner: this.owner, path, description, required: options.required ?? false, ...(value !== undefined && { default: value }) };
  }

  private bounds(
    path: string,
    options: NumericValueOptions,
    common: { default?: JsonValue; required: boolean },
  ): { minimum?: number; maximum?: number } {
    const { minimum, maximum } = options;
    for (const [name, bound] of [
      ['minimum', minimum],
      ['maximum', maximum],
    ] as const) {
      if (bound !== undefined && (typeof bound !== 'number' || !Number.isFinite(bound) || hasToken(bound))) {
        throw new HelmSynthError(this.where, `value ${path}: ${name} ${describeValue(bound)} must be a finite number`);
      }
    }
    if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
      throw new HelmSynthError(this.where, `value ${path}: minimum ${minimum} is greater than maximum ${maximum}`);
    }
    const value = common.default as number | undefined;
    if (value !== undefined && ((minimum !== undefined && value < minimum) || (maximum !== undefined && value > maximum))) {
      throw new HelmSynthError(this.where, `value ${path}: default ${value} is outside [${minimum ?? '-inf'}, ${maximum ?? 'inf'}]`);
    }
    if (value === undefined && !common.required) {
      throw new HelmSynthError(
        this.where,
        `value ${path}: a number needs a default or required: true (a missing number has no safe rendering)`,
      );
    }
    return { ...(minimum !== undefined && { minimum }), ...(maximum !== undefined && { maximum }) };
  }

  private length(path: string, length: unknown, name: string): number | undefined {
    if (length === undefined) return undefined;
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
      throw new HelmSynthError(this.where, `value ${path}: ${name} ${describeValue(length)} must be a non-negative integer`);
    }
    return length;
  }

  /**
   * Compiles a pattern as JavaScript (editors check values files with it) and as Go's RE2; a value
   * matches as Helm matches it, with RE2.
   */
  private pattern(path: string, pattern: unknown): (text: string) => boolean {
    if (typeof pattern !== 'string')
      throw new HelmSynthError(this.where, `value ${path}: pattern ${describeValue(pattern)} must be a string`);
    try {
      new RegExp(pattern, 'u');
    } catch (error) {
      throw new HelmSynthError(
        this.where,
        `value ${path}: pattern ${describeValue(pattern)} is not a valid regular expression: ${(error as Error).message}`,
      );
    }
    const { RE2JS } = require('re2js') as typeof import('re2js');
    let re2: { test(input: string): boolean };
    try {
      re2 = RE2JS.compile(pattern);
    } catch (error) {
      throw new HelmSynthError(
        this.where,
        `value ${path}: pattern ${describeValue(pattern)} is not valid in Go's RE2, which Helm validates with: ${(error as Error).message}`,
      );
    }
    return (text) => re2.test(text);
  }

  /**
   * A passthrough key's `properties`, checked as Helm will use them: every pattern compiles in Go's
   * RE2, and the defaults written under the key pass the schema (ajv, draft-07, strict). Only the
   * part of the schema the defaults reach is compiled (a dependency's schema is large and synthesis
   * should stay fast); a malformed keyword elsewhere is left to Helm, which refuses the schema on
   * every install.
   */
  private checkPassthroughSchema(key: string, properties: Record<string, unknown>, defaults: { [key: string]: JsonValue }): void {
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
      throw new HelmSynthError(
        this.where,
        `passthrough key ${key}: properties ${describeValue(properties)} must be a JSON Schema properties map`,
      );
    }
    if (Object.keys(properties).length === 0) return;
    const compiled = new Set<string>();
    for (const [at, pattern] of schemaPatterns({ properties }, key)) {
      if (!compiled.has(pattern)) this.pattern(at, pattern);
      compiled.add(pattern);
    }
    const schema = schemaFor({ type: 'object', properties }, defaults) as { properties: object };
    if (Object.keys(schema.properties).length === 0) return;
    const validate = this.compileSchema(key, schema, 'properties', false);
    if (validate(defaults)) return;
    const problem = validate.errors![0];
    const segments = problem.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const leaf = segments.reduce<unknown>((node, segment) => (node as Record<string, unknown>)?.[segment], defaults);
    const at = segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment}`), key);
    throw new HelmSynthError(
      this.where,
      `value ${at}: default ${describeValue(leaf)} does not pass the chart's own schema: ${problem.message ?? 'invalid'}`,
    );
  }

  /**
   * Compiles a JSON Schema with ajv (draft-07, strict: unknown keywords and malformed ones fail);
   * `metaSchema` also checks it against the draft-07 meta-schema, which costs tens of milliseconds.
   */
  private compileSchema(path: string, schema: object, field: string, metaSchema = true): AjvValidate {
    try {
      return compiledSchema(schema, metaSchema);
    } catch (error) {
      throw new HelmSynthError(this.where, `value ${path}: ${field} is not a valid JSON Schema (draft-07): ${(error as Error).message}`);
    }
  }

  /** A JSON Schema given for items or entries: compiled with ajv (draft-07), so defaults are checked as Helm will check them. */
  private subschema(
    path: string,
    schema: unknown,
    field: string,
  ): { schema: Record<string, unknown>; check: (value: JsonValue, at: string) => void } | undefined {
    if (schema === undefined) return undefined;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      throw new HelmSynthError(this.where, `value ${path}: ${field} ${describeValue(schema)} must be a JSON Schema object`);
    }
    const validate = this.compileSchema(path, schema, field);
    return {
      schema: schema as Record<string, unknown>,
      check: (value, at) => {
        if (!validate(value)) {
          const problem = validate.errors?.[0];
          throw new HelmSynthError(
            this.where,
            `value ${path}: ${at} ${describeValue(value)} does not match its ${field} schema: ${problem?.instancePath || ''}${problem?.instancePath ? ' ' : ''}${problem?.message ?? 'invalid'}`,
          );
        }
      },
    };
  }

  /**
   * Refuses what a values file cannot hold as it is (defaults, an environment's values): anything but
   * plain JSON, tokens, numbers that are not finite, text UTF-8 cannot hold, JavaScript's object
   * internals as keys. The error names the chart, `at` and the path inside the value.
   * @internal
   */
  public checkJson(value: unknown, at: string): void {
    const fail = (problem: string): never => {
      throw new HelmSynthError(this.where, `value ${at} ${problem}`);
    };
    const walk = (node: unknown, where: string): void => {
      if (node === null || typeof node === 'boolean') return;
      if (typeof node === 'number') {
        if (!Number.isFinite(node)) fail(`${where}${describeValue(node)} is not a finite number`);
        if (hasToken(node)) fail(`${where}${describeText(node)} is a token: values.yaml holds plain values, not template expressions`);
        return;
      }
      if (typeof node === 'string') {
        if (hasToken(node)) fail(`${where}${describeText(node)} holds a token: values.yaml holds plain values, not template expressions`);
        if (hasLoneSurrogate(node)) fail(`${where}${describeValue(node)} holds a lone UTF-16 surrogate, which cannot be written as UTF-8`);
        return;
      }
      if (Array.isArray(node)) {
        node.forEach((item, i) => walk(item, `${where}[${i}] `));
        return;
      }
      if (typeof node === 'object' && isPlainObject(node)) {
        for (const [key, item] of Object.entries(node)) {
          if (hasLoneSurrogate(key) || hasToken(key)) fail(`${where}key ${describeText(key)} must be plain text`);
          if (OBJECT_INTERNALS.has(key)) fail(`${where}key ${describeValue(key)} is a name JavaScript gives to every object's internals`);
          if (key === YAML_MERGE_KEY) {
            fail(
              `${where}key "<<" is written unquoted by Helm's toYaml, and YAML reads it as a merge key: the map would render merged into the one holding it, or fail helm template`,
            );
          }
          walk(item, `${where}.${key} `.replace(/^\./, ''));
        }
        return;
      }
      fail(`${where}${describeValue(node)} is not a JSON value`);
    };
    walk(value, '');
  }

  private declare<T extends Value>(value: T): T {
    const existing = this.declarations.get(value.path);
    if (existing) {
      const sameType = existing.type === value.type && JSON.stringify(existing.default) === JSON.stringify(value.default);
      const differences = sameType ? declarationDifferences(existing, value) : [];
      if (sameType && differences.length === 0) return existing as T;
      const [first, again] = declarationSites(this.declaredAt.get(value.path), callStack());
      const what = sameType
        ? ` with different ${differences.join(', ')}`
        : `: as ${describeDeclaration(existing)} and as ${describeDeclaration(value)}`;
      throw new HelmSynthError(this.where, `value ${value.path} is declared twice${what}; first by ${first}, again by ${again}`);
    }
    for (const other of this.declarations.keys()) {
      if (value.path.startsWith(`${other}.`)) {
        throw new HelmSynthError(
          this.where,
          `value ${value.path} is declared under ${other}, which is a ${this.declarations.get(other)!.type} value, not a group`,
        );
      }
      if (other.startsWith(`${value.path}.`)) {
        throw new HelmSynthError(this.where, `value ${value.path} (${value.type}) would replace the group that holds ${other}`);
      }
    }
    if (this.groupDescriptions.has(value.path)) {
      throw new HelmSynthError(this.where, `value ${value.path} is already described as a group`);
    }
    const top = value.path.split('.')[0];
    if (this.passthroughs.has(top)) {
      throw new HelmSynthError(this.where, `value ${value.path} is under ${top}, which is passed on to a dependency`);
    }
    this.declarations.set(value.path, value);
    this.declaredAt.set(value.path, callStack());
    return value;
  }

  /** A description: non-empty text without tokens (values.yaml, the schema and README hold it as written). */
  private literalText(value: unknown, field: string): string {
    const text = checkText(value, field, this.where);
    if (hasToken(text))
      throw new HelmSynthError(
        this.where,
        `${field} ${describeText(text)} must be literal text: values.yaml, values.schema.json and README.md are not templates`,
      );
    return text;
  }

  private checkPath(path: string): void {
    if (hasToken(path))
      throw new HelmSynthError(this.where, `value path ${describeText(path)} holds a token: a value path must be literal`);
    if (typeof path !== 'string' || path.split('.').some((segment) => !SEGMENT.test(segment))) {
      throw new HelmSynthError(
        this.where,
        `value path ${describeText(path)} is invalid: use dot-separated identifiers such as image.pullPolicy (letters, digits, _)`,
      );
    }
    const internal = path.split('.').find((segment) => OBJECT_INTERNALS.has(segment));
    if (internal !== undefined) {
      throw new HelmSynthError(
        this.where,
        `value path ${describeValue(path)} holds ${describeValue(internal)}, a name JavaScript gives to every object's internals: choose another key`,
      );
    }
    if (RESERVED_TOP_LEVEL.has(path.split('.')[0])) {
      throw new HelmSynthError(this.where, `value path ${describeValue(path)} is reserved by Helm`);
    }
  }
}

/** A compiled schema: true when a value passes; `errors` then says why not (ajv's first error). */
export type AjvValidate = ((v: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; message?: string; keyword?: string; params?: Record<string, unknown> }> | null;
};

/**
 * The part of an object schema that can judge `value`: `properties` cut to the keys the value has,
 * level by level, everything else kept. Validating the value against it is validating it against
 * the whole schema (a `properties` entry only applies to a key that is present), at a fraction of
 * the compile time of a large dependency schema.
 */
function schemaFor(schema: unknown, value: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const node = schema as Record<string, unknown>;
  if (
    typeof node.properties !== 'object' ||
    node.properties === null ||
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value)
  )
    return schema;
  const given = value as Record<string, unknown>;
  const properties = Object.fromEntries(
    Object.entries(node.properties)
      .filter(([key]) => key in given)
      .map(([key, child]) => [key, schemaFor(child, given[key])]),
  );
  return { ...node, properties };
}

/** Every `pattern` of a JSON Schema with the values path it applies to (`a.b`, `a.list[]`). */
function schemaPatterns(schema: unknown, at: string): Array<[string, string]> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [];
  const node = schema as Record<string, unknown>;
  const found: Array<[string, string]> = typeof node.pattern === 'string' ? [[at, node.pattern]] : [];
  const children = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
  if (typeof node.properties === 'object' && node.properties !== null) {
    for (const [key, child] of Object.entries(node.properties)) found.push(...schemaPatterns(child, `${at}.${key}`));
  }
  for (const child of children(node.items)) found.push(...schemaPatterns(child, `${at}[]`));
  for (const keyword of ['additionalProperties', 'not', 'if', 'then', 'else', 'anyOf', 'allOf', 'oneOf']) {
    for (const child of children(node[keyword])) found.push(...schemaPatterns(child, at));
  }
  return found;
}

/** The stack of the current call, deep enough to get past helm-synth's own constructs. */
function callStack(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 16;
  const stack = new Error();
  Error.stackTraceLimit = limit;
  return stack;
}

/** The stack frames outside helm-synth and node_modules: the app code that declared a value (`makeImage at app.ts:12:5`). */
function appFrames(stack: Error | undefined): string[] {
  const ownDir = resolve(__dirname, '..');
  const frames: string[] = [];
  for (const line of (stack?.stack ?? '').split('\n').slice(1)) {
    const frame = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/.exec(line);
    if (!frame) continue;
    const [, fn, file, row, column] = frame;
    if (file.startsWith('node:') || file.includes(`${sep}node_modules${sep}`) || file.startsWith(ownDir + sep)) continue;
    const shown = isAbsolute(file) ? relative(process.cwd(), file) : file;
    frames.push(`${fn && !fn.startsWith('Object.<anonymous>') ? `${fn} at ` : ''}${shown}:${row}:${column}`);
  }
  return frames;
}

/** Where two declarations were made: each one's first app frame, with its callers up to where the two differ. */
function declarationSites(first: Error | undefined, again: Error): [string, string] {
  const [a, b] = [appFrames(first), appFrames(again)];
  let shared = 0;
  while (shared < a.length - 1 && shared < b.length - 1 && a[shared] === b[shared]) shared++;
  const site = (frames: string[]): string =>
    frames.length ? frames.slice(0, shared + 1).join(', called from ') : 'code of helm-synth itself';
  return [site(a), site(b)];
}

const SIMPLE_KEYWORDS = new Set([
  'type',
  'minimum',
  'maximum',
  'pattern',
  'minLength',
  'maxLength',
  'additionalProperties',
  'propertyNames',
]);

/**
 * Whether a value meets a schema made only of the keywords narrowing uses (type, bounds, pattern,
 * lengths, additionalProperties, propertyNames), checked without loading ajv; `undefined` when the
 * schema uses anything else or the answer is no, so ajv decides and words the message.
 */
function simpleSchemaAccepts(schema: unknown, value: unknown): boolean | undefined {
  if (!schema || typeof schema !== 'object' || Object.keys(schema).some((key) => !SIMPLE_KEYWORDS.has(key))) return undefined;
  const s = schema as Record<string, any>;
  const types: Record<string, (v: unknown) => boolean> = {
    string: (v) => typeof v === 'string',
    integer: (v) => typeof v === 'number' && Number.isInteger(v),
    number: (v) => typeof v === 'number',
    object: (v) => !!v && typeof v === 'object' && !Array.isArray(v),
  };
  if (s.type !== undefined && !(typeof s.type === 'string' && types[s.type]?.(value))) return undefined;
  if (typeof value === 'number' && ((s.minimum !== undefined && value < s.minimum) || (s.maximum !== undefined && value > s.maximum)))
    return undefined;
  if (typeof value === 'string') {
    const length = [...value].length;
    if ((s.minLength !== undefined && length < s.minLength) || (s.maxLength !== undefined && length > s.maxLength)) return undefined;
    if (s.pattern !== undefined && !patternAccepts(s.pattern, value)) return undefined;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (s.propertyNames !== undefined && simpleSchemaAccepts(s.propertyNames, key) !== true) return undefined;
      if (s.additionalProperties !== undefined && simpleSchemaAccepts(s.additionalProperties, item) !== true) return undefined;
    }
  }
  return true;
}

function patternAccepts(pattern: unknown, value: string): boolean {
  try {
    return typeof pattern === 'string' && goRegExp(pattern).test(value);
  } catch {
    return false;
  }
}

/**
 * A schema compiled with ajv (draft-07), memoized by its JSON text: the same constraints recur in
 * every chart (int32 bounds, name patterns), and compiling one takes about a millisecond. A cache of
 * pure results: a second copy of the library keeping its own loses nothing.
 */
export function compiledSchema(schema: object, metaSchema: boolean): AjvValidate {
  const key = `${metaSchema}:${JSON.stringify(schema)}`;
  let validate = COMPILED_SCHEMAS.get(key);
  if (!validate) {
    const Ajv = (require('ajv') as { default: new (options: object) => { compile(schema: object): AjvValidate } }).default;
    AJV[metaSchema ? 1 : 0] ??= new Ajv({ strict: true, allErrors: false, validateSchema: metaSchema, code: { regExp: goRegExp } });
    validate = AJV[metaSchema ? 1 : 0]!.compile(schema);
    COMPILED_SCHEMAS.set(key, validate);
  }
  return validate;
}

/**
 * ajv's engine for `pattern` and `patternProperties`: Go's RE2 (re2js), as Helm evaluates them.
 * JavaScript's own differs where a value can reach it: `\s` also matches U+00A0, U+2028 and `\v`.
 * ajv keys compiled patterns by `toString()`, so it names the pattern.
 */
function goRegExp(pattern: string): { test(input: string): boolean; toString(): string } {
  const { RE2JS } = require('re2js') as typeof import('re2js');
  let re2 = GO_PATTERNS.get(pattern);
  if (!re2) GO_PATTERNS.set(pattern, (re2 = RE2JS.compile(pattern)));
  const compiled = re2;
  return { test: (input) => compiled.test(input), toString: () => `re2:${pattern}` };
}
goRegExp.code = 'RE2JS.compile';

const GO_PATTERNS = new Map<string, { test(input: string): boolean }>();
const COMPILED_SCHEMAS = new Map<string, AjvValidate>();
const AJV: Array<{ compile(schema: object): AjvValidate } | undefined> = [undefined, undefined];

/** What two declarations of one path with the same type and default disagree on, each with both versions. */
function declarationDifferences(first: Value, second: Value): string[] {
  const differences: string[] = [];
  if (first.required !== second.required) differences.push(`required (${first.required}, then ${second.required})`);
  if (first.requiredUnless?.path !== second.requiredUnless?.path)
    differences.push(`requiredUnless (${first.requiredUnless?.path ?? 'none'}, then ${second.requiredUnless?.path ?? 'none'})`);
  if (first.description !== second.description)
    differences.push(`descriptions (${describeValue(first.description)}, then ${describeValue(second.description)})`);
  if (JSON.stringify(first.schema) !== JSON.stringify(second.schema))
    differences.push(`constraints (${describeValue(first.schema)}, then ${describeValue(second.schema)})`);
  return differences;
}

function describeDeclaration(value: Value): string {
  return value.default === undefined ? value.type : `${value.type} (default ${describeValue(value.default)})`;
}

/** `target` read relative to the group of `path`: `existingSecret` beside `db.password` is `db.existingSecret`. */
function relativeValuePath(path: string, target: string): string {
  const group = path.split('.').slice(0, -1).join('.');
  return group ? `${group}.${target}` : target;
}

/** A plain object of any realm (jest's and Node's `Object.prototype` differ): its prototype is null or the root prototype. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}
