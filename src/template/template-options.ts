import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { BooleanValue } from '../values/value';

/** One field written into an object's JSON after cdk8s-plus has converted it. */
export interface FieldOverride {
  /** Path segments from the object root; numbers index lists. */
  readonly path: ReadonlyArray<string | number>;
  /** The value to write (tokens allowed); `undefined` removes the field. */
  readonly value: unknown;
  /** Keep the field only when this boolean value is true. */
  readonly condition?: BooleanValue;
}

interface Options {
  nameSuffix?: string;
  condition?: BooleanValue;
  directory?: string;
  readonly overrides: FieldOverride[];
}

const options = new WeakMap<IConstruct, Options>();

/**
 * How a construct's Kubernetes objects become templates: their name, a value that switches them on,
 * and fields written after cdk8s-plus conversion (for props cdk8s-plus cannot carry as tokens,
 * such as `Duration`, `Cpu`, `Size`, or whole objects from values).
 *
 * Settings on a construct apply to every object inside it, the nearest setting winning.
 */
export class Template {
  /** The template settings of a construct (a cdk8s-plus resource, an `ApiObject`, or any scope). */
  public static of(construct: IConstruct): Template {
    return new Template(construct);
  }

  private constructor(private readonly construct: IConstruct) {}

  private get options(): Options {
    let found = options.get(this.construct);
    if (!found) {
      found = { overrides: [] };
      options.set(this.construct, found);
    }
    return found;
  }

  /**
   * Names the objects `<fullname>-<suffix>` (just `<fullname>` when empty) instead of deriving the
   * suffix from the construct path. This is part of the chart's released interface: changing it
   * renames the objects.
   */
  public nameSuffix(suffix: string): this {
    if (suffix !== '' && !/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(suffix)) {
      throw new HelmSynthError(this.construct.node.path, `name suffix ${describeValue(suffix)} must be a lower-case DNS label of at most 40 characters`);
    }
    this.options.nameSuffix = suffix;
    return this;
  }

  /** Renders the objects only when the boolean value is true (`{{- if .Values.x }}` around the file). */
  public enableWhen(condition: BooleanValue): this {
    this.options.condition = condition;
    return this;
  }

  /** Writes a field after conversion, e.g. `set('spec.template.spec.containers[0].resources', resources.asObject())`. */
  public set(path: string | ReadonlyArray<string | number>, value: unknown): this {
    this.options.overrides.push({ path: parsePath(path, this.construct.node.path), value });
    return this;
  }

  /** Writes a field that is kept only when the boolean value is true. */
  public setIf(path: string | ReadonlyArray<string | number>, condition: BooleanValue, value: unknown): this {
    this.options.overrides.push({ path: parsePath(path, this.construct.node.path), value, condition });
    return this;
  }

  /** Removes a field cdk8s-plus writes (e.g. a default you do not want). */
  public remove(path: string | ReadonlyArray<string | number>): this {
    this.options.overrides.push({ path: parsePath(path, this.construct.node.path), value: undefined });
    return this;
  }

  /** @internal Writes the objects into a folder under templates/ (tests go to `tests`). */
  public placeIn(directory: string): this {
    this.options.directory = directory;
    return this;
  }
}

/** The template settings that apply to one object. */
export interface TemplateSettings {
  /** Name suffix set with `Template.nameSuffix`, if any. */
  readonly nameSuffix?: string;
  /** The value that switches the object on, if any. */
  readonly condition?: BooleanValue;
  /** Folder under templates/, if any. */
  readonly directory?: string;
  /** Fields written after conversion, outer scopes first. */
  readonly overrides: readonly FieldOverride[];
}

/**
 * The settings that apply to an object. A name suffix and field overrides belong to the construct
 * that owns the object (the object itself, or the construct whose default child it is, as a
 * cdk8s-plus resource's `apiObject`); a condition and a folder apply to everything inside a scope,
 * the nearest setting winning.
 */
export function resolveTemplateOptions(object: ApiObject): TemplateSettings {
  const result: { nameSuffix?: string; condition?: BooleanValue; directory?: string; overrides: FieldOverride[] } = { overrides: [] };
  const owners = [object.node.scope, object].filter((scope): scope is IConstruct => scope !== undefined
    && (scope === object || scope.node.defaultChild === object));
  for (const owner of owners) {
    const found = options.get(owner);
    if (!found) continue;
    if (found.nameSuffix !== undefined) result.nameSuffix = found.nameSuffix;
    result.overrides.push(...found.overrides);
  }
  for (const scope of object.node.scopes.slice().reverse()) {
    const found = options.get(scope);
    if (!found) continue;
    result.condition ??= found.condition;
    result.directory ??= found.directory;
  }
  return result;
}

function parsePath(path: string | ReadonlyArray<string | number>, where: string): ReadonlyArray<string | number> {
  if (typeof path !== 'string') return path;
  const segments: Array<string | number> = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match || (match[1] === '' && match[2] === '')) {
      throw new HelmSynthError(where, `field path ${describeValue(path)} is invalid: use a.b[0].c (pass an array for keys that contain dots)`);
    }
    if (match[1]) segments.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}
