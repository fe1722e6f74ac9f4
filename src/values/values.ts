import { describeValue, HelmSynthError } from '../errors';
import {
  BooleanValue, EnumValue, EnumValueOptions, JsonValue, ListValue, ListValueOptions, NumericValue, NumericValueOptions,
  ObjectValue, ObjectValueOptions, SecretValue, SecretValueOptions, StringValue, StringValueOptions, Value, ValueOptions, ValueType,
} from './value';

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Keys Helm itself gives meaning to at the top of a chart's values. */
const RESERVED_TOP_LEVEL = new Set(['global']);

/**
 * The values of one chart: declarations in order, checked against each other as they are made.
 * `HelmChart.values` is the instance of a chart; values.yaml, values.schema.json and the README's
 * parameter table are all written from it.
 */
export class Values {
  private readonly declarations = new Map<string, Value>();
  private readonly groupDescriptions = new Map<string, string>();
  private readonly passthroughKeys = new Map<string, string>();
  private readonly passthroughValues = new Map<string, { [key: string]: JsonValue }>();

  /** @param ownerPath construct path of the chart, for error messages */
  constructor(private readonly ownerPath: string) {}

  /** Declares a string value. */
  public string(path: string, options: StringValueOptions): StringValue {
    this.checkDefault(path, options.default, (d) => typeof d === 'string', 'a string');
    if (options.pattern !== undefined) {
      try {
        new RegExp(options.pattern, 'u');
      } catch {
        throw new HelmSynthError(this.ownerPath, `value ${path}: pattern ${describeValue(options.pattern)} is not a valid regular expression`);
      }
      if (options.default !== undefined && !new RegExp(options.pattern, 'u').test(options.default)) {
        throw new HelmSynthError(this.ownerPath, `value ${path}: default ${describeValue(options.default)} does not match pattern ${describeValue(options.pattern)}`);
      }
    }
    return this.declare(new StringValue(path, options));
  }

  /** Declares a secret string: it has no default and is masked in the README. */
  public secret(path: string, options: SecretValueOptions): SecretValue {
    if ('default' in options) {
      throw new HelmSynthError(this.ownerPath, `value ${path}: a secret value cannot have a default (it would be published in values.yaml)`);
    }
    return this.declare(new SecretValue(path, options));
  }

  /** Declares an integer value (rendered with `int64`, never as `1e+06`). */
  public integer(path: string, options: NumericValueOptions): NumericValue {
    this.checkDefault(path, options.default, (d) => Number.isSafeInteger(d), 'an integer');
    this.checkBounds(path, options);
    return this.declare(new NumericValue(path, ValueType.INTEGER, options));
  }

  /** Declares a floating-point value. */
  public number(path: string, options: NumericValueOptions): NumericValue {
    this.checkDefault(path, options.default, (d) => typeof d === 'number' && Number.isFinite(d), 'a finite number');
    this.checkBounds(path, options);
    return this.declare(new NumericValue(path, ValueType.NUMBER, options));
  }

  /** Declares a boolean value. */
  public boolean(path: string, options: ValueOptions<boolean>): BooleanValue {
    this.checkDefault(path, options.default, (d) => typeof d === 'boolean', 'a boolean');
    return this.declare(new BooleanValue(path, options));
  }

  /** Declares a value that is one of a fixed set of strings. */
  public enum(path: string, options: EnumValueOptions): EnumValue {
    if (options.values.length === 0 || options.values.some((v) => typeof v !== 'string')) {
      throw new HelmSynthError(this.ownerPath, `value ${path}: an enum needs at least one allowed string, got ${describeValue(options.values)}`);
    }
    this.checkDefault(path, options.default, (d) => options.values.includes(d as string), `one of ${describeValue(options.values)}`);
    return this.declare(new EnumValue(path, options));
  }

  /** Declares a list, passed through to templates whole. */
  public list(path: string, options: ListValueOptions): ListValue {
    this.checkDefault(path, options.default, (d) => Array.isArray(d), 'a list');
    return this.declare(new ListValue(path, options));
  }

  /** Declares a map, passed through to templates whole. */
  public object(path: string, options: ObjectValueOptions): ObjectValue {
    this.checkDefault(path, options.default, (d) => typeof d === 'object' && d !== null && !Array.isArray(d), 'a map');
    return this.declare(new ObjectValue(path, options));
  }

  /** Describes a group of values (an intermediate key such as `image`): the comment above it in values.yaml. */
  public describe(groupPath: string, description: string): void {
    this.checkPath(groupPath);
    if (this.declarations.has(groupPath)) {
      throw new HelmSynthError(this.ownerPath, `value ${groupPath}: is a value, not a group`);
    }
    this.groupDescriptions.set(groupPath, description);
  }

  /**
   * Allows a top-level key the chart does not declare itself but passes on (a dependency's values,
   * under its name or alias). The schema accepts any map there; `defaults` are written under it in values.yaml.
   */
  public allowPassthrough(key: string, description: string, defaults: { [key: string]: JsonValue } = {}): void {
    this.checkPath(key);
    if (this.declarations.has(key) || [...this.declarations.keys()].some((p) => p.startsWith(`${key}.`))) {
      throw new HelmSynthError(this.ownerPath, `values key ${key} is already used by the chart's own values`);
    }
    this.passthroughKeys.set(key, description);
    this.passthroughValues.set(key, structuredClone(defaults));
  }

  /** Every declaration, in declaration order. */
  public get all(): readonly Value[] {
    return [...this.declarations.values()];
  }

  /** Top-level keys passed on to dependencies, with their descriptions. */
  public get passthrough(): ReadonlyMap<string, string> {
    return this.passthroughKeys;
  }

  /** Defaults written under each passthrough key, by key. */
  public get passthroughDefaults(): ReadonlyMap<string, { readonly [key: string]: JsonValue }> {
    return this.passthroughValues;
  }

  /** Descriptions of groups, by path. */
  public get groups(): ReadonlyMap<string, string> {
    return this.groupDescriptions;
  }

  /** The declaration at a path, if any. */
  public tryGet(path: string): Value | undefined {
    return this.declarations.get(path);
  }

  private declare<T extends Value>(value: T): T {
    this.checkPath(value.path);
    const existing = this.declarations.get(value.path);
    if (existing) {
      if (existing.type === value.type && JSON.stringify(existing.default) === JSON.stringify(value.default)
        && JSON.stringify(existing.schema) === JSON.stringify(value.schema)) {
        return existing as T;
      }
      throw new HelmSynthError(this.ownerPath, `value ${value.path} is declared twice: as ${describeDeclaration(existing)} and as ${describeDeclaration(value)}`);
    }
    for (const other of this.declarations.keys()) {
      if (value.path.startsWith(`${other}.`)) {
        throw new HelmSynthError(this.ownerPath, `value ${value.path} is declared under ${other}, which is a ${this.declarations.get(other)!.type} value, not a group`);
      }
      if (other.startsWith(`${value.path}.`)) {
        throw new HelmSynthError(this.ownerPath, `value ${value.path} (${value.type}) would replace the group that holds ${other}`);
      }
    }
    if (this.groupDescriptions.has(value.path)) {
      throw new HelmSynthError(this.ownerPath, `value ${value.path} is already described as a group`);
    }
    const top = value.path.split('.')[0];
    if (this.passthroughKeys.has(top)) {
      throw new HelmSynthError(this.ownerPath, `value ${value.path} is under ${top}, which is passed on to a dependency`);
    }
    this.declarations.set(value.path, value);
    return value;
  }

  private checkPath(path: string): void {
    if (typeof path !== 'string' || path.split('.').some((segment) => !SEGMENT.test(segment))) {
      throw new HelmSynthError(this.ownerPath, `value path ${describeValue(path)} is invalid: use dot-separated identifiers such as image.pullPolicy (letters, digits, _)`);
    }
    if (RESERVED_TOP_LEVEL.has(path.split('.')[0])) {
      throw new HelmSynthError(this.ownerPath, `value path ${describeValue(path)} is reserved by Helm`);
    }
  }

  private checkDefault(path: string, value: JsonValue | undefined, ok: (value: JsonValue) => boolean, expected: string): void {
    if (value !== undefined && !ok(value)) {
      throw new HelmSynthError(this.ownerPath, `value ${path}: default ${describeValue(value)} is not ${expected}`);
    }
  }

  private checkBounds(path: string, options: NumericValueOptions): void {
    const { minimum, maximum, default: value } = options;
    if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
      throw new HelmSynthError(this.ownerPath, `value ${path}: minimum ${minimum} is greater than maximum ${maximum}`);
    }
    if (value !== undefined && ((minimum !== undefined && value < minimum) || (maximum !== undefined && value > maximum))) {
      throw new HelmSynthError(this.ownerPath, `value ${path}: default ${value} is outside [${minimum ?? '-inf'}, ${maximum ?? 'inf'}]`);
    }
  }
}

function describeDeclaration(value: Value): string {
  return value.default === undefined ? value.type : `${value.type} (default ${describeValue(value.default)})`;
}
