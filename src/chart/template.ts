import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { isDnsLabel } from '../tokens/checks';
import { describeText, hasToken } from '../tokens/token';
import { Condition, ConditionOperand } from '../values/condition';
import { FieldPathSegment, parseFieldPath } from './field-path';
import { SchemaCursor } from './kubernetes-schema';

export type { FieldPathSegment } from './field-path';

/** What a field override does. */
export enum FieldOperation {
  /** Writes the value (tokens allowed), creating the maps on the way; with a condition, an if / else-if branch. */
  SET = 'set',
  /** Removes the field (and the key from values merged into its map before). */
  REMOVE = 'remove',
  /** Adds the entries of a map value to the map at the path whose keys the map does not write at render time. */
  MERGE = 'merge',
  /** Appends the items of a list value to the list at the path. */
  APPEND = 'append',
}

/** One field written into an object after cdk8s-plus has converted it. */
export interface FieldOverride {
  /** What it does. */
  readonly operation: FieldOperation;
  /** Path segments from the object root; numbers index lists. */
  readonly path: readonly FieldPathSegment[];
  /** The path as written, for messages. */
  readonly text: string;
  /** The value to write, merge or append (tokens allowed). */
  readonly value?: unknown;
  /** Keep the field only when this condition holds (`setIf`). */
  readonly condition?: Condition;
  /** A `remove` that is no error when the field is absent. */
  readonly ifPresent?: boolean;
  /** Construct path of the construct the override was set on. */
  readonly setOn: string;
  /** Position in recording order among the overrides of its object, over every construct standing for it. */
  readonly sequence: number;
}

/** The template settings that apply to one object, resolved from its construct and its scopes. */
export interface TemplateSettings {
  /** Name suffix set with `nameSuffix`, if any. */
  readonly nameSuffix?: string;
  /** The object whose name suffix this one takes (`sameNameAs`), if any. */
  readonly sameNameAs?: ApiObject;
  /** Keep the object's literal `metadata.name` (`fixedName`). */
  readonly fixedName: boolean;
  /** The condition that switches the object on: every `enableWhen` of it and its scopes, combined with `and`. */
  readonly condition?: Condition;
  /** The value that, when set, replaces the object by an existing one of that name (`replaceableBy`). */
  readonly replacedBy?: ReplacingValue;
  /** When the object is rendered: `condition`, and the replacing value being empty. */
  readonly renderCondition?: Condition;
  /** Folder under templates/, if any. */
  readonly directory?: string;
  /** Fields written after conversion, in the order they were recorded (on whichever construct stands for the object). */
  readonly overrides: readonly FieldOverride[];
}

/** A string value naming an existing object (`existingSecret`): a `StringValue` of the chart. */
export interface ReplacingValue extends ConditionOperand {
  /** A condition that is true when the value equals `literal`. */
  eq(literal: string): Condition;
}

interface StoredSettings {
  sameNameAs?: ApiObject;
  enabledWith?: ApiObject[];
  replacedBy?: ReplacingValue;
  nameSuffix?: string;
  fixedName?: boolean;
  condition?: Condition;
  directory?: string;
  readonly overrides: FieldOverride[];
  /** On an object: how many overrides were recorded for it, on any construct standing for it. */
  recorded?: number;
}

/**
 * The template settings of a construct, in one slot every copy of the library reads (a construct
 * library built against another copy may call `Template.of(x)`).
 */
const SETTINGS = Symbol.for('helm-synth.template-settings');
const MAX_SUFFIX = 40;

const TEMPLATE_BRAND = Symbol.for('helm-synth.Template');

/**
 * How a construct's Kubernetes objects become templates: their name, a condition that switches
 * them on, and fields written after cdk8s-plus conversion (for props cdk8s-plus cannot carry as
 * tokens, such as `Duration`, `Cpu`, `Size`, or whole objects from values).
 *
 * Field paths are text (`spec.template.spec.containers[0].env`, keys with dots or brackets quoted:
 * `metadata.annotations["example.com/owner"]`) or a list of segments. After a map-of-strings field
 * (annotations, labels, data, nodeSelector, ...) the rest of a dotted path is one key. Paths on
 * built-in kinds are checked against the Kubernetes schema at synthesis.
 *
 * `nameSuffix`, `fixedName` and the field methods apply to the one object the construct stands for
 * (an `ApiObject`, or a construct whose default child leads to one, like a cdk8s-plus resource);
 * `enableWhen` applies to every object inside the construct. Settings that have nothing to apply to
 * fail synthesis.
 */
export class Template {
  /** True for a Template of any copy of the library (a brand check, not `instanceof`). */
  public static isTemplate(x: unknown): x is Template {
    return typeof x === 'object' && x !== null && TEMPLATE_BRAND in x;
  }

  /** The template settings of a construct (a cdk8s-plus resource, an `ApiObject`, or any scope). */
  public static of(construct: IConstruct): Template {
    if (!construct || typeof construct !== 'object' || !('node' in construct)) {
      throw new HelmSynthError('Template.of', `${describeValue(construct)} is not a construct`);
    }
    return new Template(construct);
  }

  private constructor(private readonly construct: IConstruct) {
    Object.defineProperty(this, TEMPLATE_BRAND, { value: true });
  }

  private get settings(): StoredSettings {
    return settingsOf(this.construct);
  }

  /**
   * Names the object `<fullname>-<suffix>` (just `<fullname>` when empty) instead of deriving the
   * suffix from the construct path. Part of the chart's released interface: changing it renames the
   * object, and (for a workload) changes its selector.
   */
  public nameSuffix(suffix: string): this {
    if (hasToken(suffix)) {
      throw new HelmSynthError(
        this.construct.node.path,
        `name suffix ${describeText(suffix)} holds a value: a suffix is part of the chart's released names and selectors, so it must be literal (use the value in a label or annotation instead)`,
      );
    }
    if (typeof suffix !== 'string' || (suffix !== '' && !isDnsLabel(suffix, MAX_SUFFIX))) {
      throw new HelmSynthError(
        this.construct.node.path,
        `name suffix ${describeText(suffix)} must be a lower-case DNS label of at most ${MAX_SUFFIX} characters`,
      );
    }
    this.settings.nameSuffix = suffix;
    return this;
  }

  /**
   * Keeps the `metadata.name` the construct gives literally instead of a release-scoped name. Two
   * releases of the chart in one namespace then collide: only for objects that exist once per
   * cluster or namespace by design.
   */
  public fixedName(): this {
    this.settings.fixedName = true;
    return this;
  }

  /**
   * Lets users replace the object by an existing one (bitnami's `existingSecret`): when the string
   * value is set, the object is not rendered and every reference to its name reads the value instead.
   * The existing object must have the same keys.
   */
  public replaceableBy(value: ReplacingValue): this {
    if (!value || typeof value !== 'object' || value.type !== 'string' || typeof value.eq !== 'function') {
      throw new HelmSynthError(this.construct.node.path, `replaceableBy takes a string value of the chart, got ${describeText(value)}`);
    }
    this.settings.replacedBy = value;
    return this;
  }

  /** Renders the objects only when the condition holds (`{{- if ... }}` around the file). */
  public enableWhen(condition: ConditionOperand | Condition): this {
    const checked = Condition.from(condition);
    const settings = this.settings;
    settings.condition = settings.condition ? Condition.and(settings.condition, checked) : checked;
    return this;
  }

  /**
   * Renders the objects only when another object of the chart is rendered: under its
   * `enableWhen` conditions and `replaceableBy`, whenever they are set (an autoscaler with the
   * workload it scales).
   */
  public enableWith(other: IConstruct): this {
    const object = other && typeof other === 'object' && 'node' in other ? ownedObject(other) : undefined;
    if (!object) {
      throw new HelmSynthError(
        this.construct.node.path,
        `enableWith takes a Kubernetes object, got ${other?.node?.path ?? describeValue(other)}`,
      );
    }
    const settings = this.settings;
    settings.enabledWith = [...(settings.enabledWith ?? []), object];
    return this;
  }

  /**
   * Writes a field after conversion, e.g. `set('spec.template.spec.containers[0].resources', resources.asObject())`,
   * replacing what is there (a `setIf` chain included). Below a `setIf` field it writes into every branch.
   */
  public set(path: string | readonly FieldPathSegment[], value: unknown): this {
    if (value === undefined)
      throw new HelmSynthError(this.construct.node.path, `set(${describeValue(path)}) needs a value; use remove(...) to remove a field`);
    checkJsonData(value, this.construct.node.path, `set(${describeValue(path)})`);
    return this.add(FieldOperation.SET, path, value);
  }

  /**
   * Writes a field when the condition holds; otherwise the field keeps what it held before (the
   * construct's value, or nothing). Several `setIf` on one path form if / else if in the order
   * written: the first whose condition holds wins.
   */
  public setIf(path: string | readonly FieldPathSegment[], condition: ConditionOperand | Condition, value: unknown): this {
    if (value === undefined) throw new HelmSynthError(this.construct.node.path, `setIf(${describeValue(path)}) needs a value`);
    checkJsonData(value, this.construct.node.path, `setIf(${describeValue(path)})`);
    return this.add(FieldOperation.SET, path, value, Condition.from(condition));
  }

  /** Removes a field cdk8s-plus writes (e.g. a default you do not want). */
  public remove(path: string | readonly FieldPathSegment[]): this {
    return this.add(FieldOperation.REMOVE, path);
  }

  /**
   * Removes a field if the construct wrote it, and does nothing otherwise: for a shared construct
   * whose field is written only under a condition (e.g. `spec.replicas` when autoscaling is off),
   * where `remove` would fail on a missing field.
   */
  public removeIfPresent(path: string | readonly FieldPathSegment[]): this {
    this.add(FieldOperation.REMOVE, path);
    const overrides = this.settings.overrides;
    overrides[overrides.length - 1] = { ...overrides[overrides.length - 1], ifPresent: true };
    return this;
  }

  /**
   * Adds the entries of a map value (`value.asObject()`) to the map at the path, e.g. pod
   * annotations from values next to the ones the construct sets. Keys the map writes win (the
   * construct's, `set`/`setIf` ones when their condition holds), then earlier merges.
   */
  public merge(path: string | readonly FieldPathSegment[], mapValue: unknown): this {
    return this.add(FieldOperation.MERGE, path, mapValue);
  }

  /** Appends the items of a list value (`value.asList()`) to the list at the path, e.g. extra env or volumes. */
  public append(path: string | readonly FieldPathSegment[], listValue: unknown): this {
    return this.add(FieldOperation.APPEND, path, listValue);
  }

  /** Names the object like another object of the chart (an autoscaler like its workload): the same suffix, whatever it becomes. */
  public sameNameAs(other: IConstruct): this {
    const object = ownedObject(other);
    if (!object)
      throw new HelmSynthError(
        this.construct.node.path,
        `sameNameAs takes a Kubernetes object, got ${other?.node?.path ?? describeValue(other)}`,
      );
    this.settings.sameNameAs = object;
    return this;
  }

  /** @internal Writes the objects into a folder under templates/ (tests go to `tests`). */
  public placeIn(directory: string): this {
    this.settings.directory = directory;
    return this;
  }

  private add(operation: FieldOperation, path: string | readonly FieldPathSegment[], value?: unknown, condition?: Condition): this {
    const where = this.construct.node.path;
    const object = ownedObject(this.construct);
    this.settings.overrides.push({
      operation,
      path: parseFieldPath(path, where, SchemaCursor.forKind(object?.apiVersion ?? '', object?.kind ?? '')),
      text: typeof path === 'string' ? path : JSON.stringify(path),
      value,
      condition,
      setOn: where,
      sequence: object ? nextSequence(object) : 0,
    });
    return this;
  }
}

/**
 * Refuses a value that is not JSON data: an object of a class (a chart value instead of its
 * `asString()`, a cdk8s `Duration`), a function, or a map or list that holds itself.
 */
function checkJsonData(value: unknown, where: string, operation: string, inside: readonly unknown[] = [], at = ''): void {
  const fail = (what: string): never => {
    throw new HelmSynthError(
      where,
      `${operation}: ${at ? `${at} of the value` : 'the value'} ${what}, not JSON data: pass a chart value as value.asString(), asNumber(), asBoolean(), asObject() or asList(), and other objects as plain maps and lists`,
    );
  };
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') fail(`is a ${typeof value}`);
  if (typeof value !== 'object' || value === null) return;
  if (inside.includes(value)) fail('holds itself');
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== null && Object.getPrototypeOf(prototype) !== null)
    fail(`is a ${prototype?.constructor?.name || 'class'} object`);
  for (const [key, item] of Object.entries(value))
    checkJsonData(item, where, operation, [...inside, value], Array.isArray(value) ? `${at}[${key}]` : at ? `${at}.${key}` : key);
}

/** The object a construct stands for: itself when it is an `ApiObject`, else the end of its default-child chain. */
export function ownedObject(construct: IConstruct): ApiObject | undefined {
  let current: IConstruct | undefined = construct;
  for (let depth = 0; current && depth < 16; depth++) {
    if (ApiObject.isApiObject(current)) return current;
    current = current.node.defaultChild;
  }
  return undefined;
}

/** The constructs that stand for an object, outermost first: those whose default-child chain ends at it. */
export function objectOwners(object: ApiObject): IConstruct[] {
  const owners: IConstruct[] = [object];
  let current: IConstruct = object;
  while (current.node.scope && current.node.scope.node.defaultChild === current) {
    current = current.node.scope;
    owners.unshift(current);
  }
  return owners;
}

/** The construct users name for an object: the outermost one that stands for it (a cdk8s-plus resource, a HookJob). */
export function objectOwner(object: ApiObject): IConstruct {
  return objectOwners(object)[0];
}

/** The settings that apply to an object. */
export function templateSettings(object: ApiObject, following: readonly ApiObject[] = []): TemplateSettings {
  const result: {
    nameSuffix?: string;
    sameNameAs?: ApiObject;
    fixedName: boolean;
    condition?: Condition;
    replacedBy?: ReplacingValue;
    renderCondition?: Condition;
    directory?: string;
    overrides: FieldOverride[];
  } = { fixedName: false, overrides: [] };
  for (const owner of objectOwners(object)) {
    const found = stored(owner);
    if (!found) continue;
    if (found.nameSuffix !== undefined) result.nameSuffix = found.nameSuffix;
    if (found.sameNameAs) result.sameNameAs = found.sameNameAs;
    if (found.fixedName) result.fixedName = true;
    if (found.replacedBy) result.replacedBy = found.replacedBy;
    result.overrides.push(...found.overrides);
  }
  result.overrides.sort((a, b) => a.sequence - b.sequence);
  const and = (condition: Condition | undefined): void => {
    if (condition) result.condition = result.condition ? Condition.and(result.condition, condition) : condition;
  };
  for (const scope of object.node.scopes) {
    const found = stored(scope);
    if (!found) continue;
    and(found.condition);
    if (found.directory !== undefined) result.directory = found.directory;
    for (const other of found.enabledWith ?? []) {
      if (other === object || following.includes(other)) {
        throw new HelmSynthError(
          objectOwner(object).node.path,
          `enableWith makes a cycle: ${[...following, object, other].map((o) => objectOwner(o).node.path).join(' → ')}`,
        );
      }
      and(templateSettings(other, [...following, object]).renderCondition);
    }
  }
  const unreplaced = result.replacedBy?.eq('');
  result.renderCondition = result.condition && unreplaced ? Condition.and(result.condition, unreplaced) : (result.condition ?? unreplaced);
  return result;
}

/** The settings stored on a construct, made (with their validation) when missing. */
function settingsOf(construct: IConstruct): StoredSettings {
  let found = stored(construct);
  if (!found) {
    const made: StoredSettings = { overrides: [] };
    Object.defineProperty(construct, SETTINGS, { value: made });
    construct.node.addValidation({ validate: () => validateSettings(construct, made) });
    found = made;
  }
  return found;
}

/** The next position in the recording order of an object's field overrides, over every construct standing for it. */
function nextSequence(object: ApiObject): number {
  const settings = settingsOf(object);
  settings.recorded = (settings.recorded ?? 0) + 1;
  return settings.recorded;
}

function stored(construct: IConstruct): StoredSettings | undefined {
  return (construct as unknown as { [SETTINGS]?: StoredSettings })[SETTINGS];
}

function validateSettings(construct: IConstruct, settings: StoredSettings): string[] {
  const errors: string[] = [];
  const object = ownedObject(construct);
  const perObject = [
    settings.replacedBy !== undefined && `replaceableBy(${settings.replacedBy.path})`,
    settings.nameSuffix !== undefined && `nameSuffix(${describeValue(settings.nameSuffix)})`,
    settings.sameNameAs !== undefined && `sameNameAs(${settings.sameNameAs.node.path})`,
    settings.fixedName && 'fixedName()',
    ...settings.overrides.map((o) => `${o.operation}(${describeValue(o.text)})`),
  ].filter((x): x is string => typeof x === 'string');
  if (perObject.length && !object) {
    const inside = construct.node
      .findAll()
      .filter(ApiObject.isApiObject)
      .map((o) => o.node.path);
    errors.push(
      `Template.of(${construct.node.path}).${perObject.join(', ')} has no object to apply to: the construct is not a Kubernetes object and has no default child that is one${inside.length ? ` (it holds ${inside.join(', ')}: call Template.of on one of them)` : ''}`,
    );
  }
  if (
    (settings.condition || settings.enabledWith || settings.directory !== undefined) &&
    !construct.node.findAll().some(ApiObject.isApiObject)
  ) {
    errors.push(`Template.of(${construct.node.path}).enableWhen(...) has no object to apply to: the construct holds no Kubernetes object`);
  }
  for (const override of settings.overrides) {
    if ((override.operation === FieldOperation.MERGE || override.operation === FieldOperation.APPEND) && !hasToken(override.value)) {
      errors.push(
        `Template.of(${construct.node.path}).${override.operation}(${describeValue(override.text)}) takes a ${override.operation === FieldOperation.MERGE ? 'map value token (value.asObject())' : 'list value token (value.asList())'}, got ${describeText(override.value)}`,
      );
    }
  }
  return errors;
}
