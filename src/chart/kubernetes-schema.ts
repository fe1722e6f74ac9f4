import type { KubernetesSchemaData, SchemaType } from './kubernetes-schema-data';

export type { KubernetesSchemaData, SchemaType } from './kubernetes-schema-data';

/** One key of a list-map (a list whose entries Kubernetes identifies by some of their fields). */
export interface ListMapKey {
  /** The field. */
  readonly field: string;
  /** What the API server fills in when the field is left out (`protocol` → `TCP`). */
  readonly default?: string;
}

let loaded: KubernetesSchemaData | undefined;

/** The schema data (150 kB), read on first use so that programs that check no path never load it. */
export function kubernetesSchemaData(): KubernetesSchemaData {
  return (loaded ??= (require('./kubernetes-schema-data') as typeof import('./kubernetes-schema-data')).KUBERNETES_SCHEMA_DATA);
}

/**
 * Whether the schema data describes a Kubernetes version a chart's `kubeVersion` range admits (no
 * range admits every version). Override paths of a chart for other versions only are not checked,
 * since fields come and go between versions.
 */
export function schemaCoversRange(kubeVersion: string | undefined): boolean {
  if (kubeVersion === undefined) return true;
  const semver = require('semver') as typeof import('semver');
  return semver.satisfies(kubernetesSchemaData().kubernetesVersion, kubeVersion, { includePrerelease: true });
}

const ANY: SchemaType = '*';
const OBJECT_META = 'apimachinery.pkg.apis.meta.v1.ObjectMeta';
const UNKNOWN_KIND = '<unknown kind>';
const KIND_ROOTS = new Map<string, SchemaCursor>();

/**
 * A position in an object's schema. A kind without a schema (a custom resource, an unknown
 * apiVersion) still knows its `metadata`; every other field of it is free-form.
 */
export class SchemaCursor {
  /** The cursor at the root of an object of that apiVersion and kind. */
  public static forKind(apiVersion: string, kind: string): SchemaCursor {
    const key = `${apiVersion}/${kind}`;
    let root = KIND_ROOTS.get(key);
    if (root === undefined) {
      const type = kubernetesSchemaData().kinds[key];
      root = new SchemaCursor(type ?? UNKNOWN_KIND, `${apiVersion} ${kind}`, type !== undefined);
      KIND_ROOTS.set(key, root);
    }
    return root;
  }

  /** The cursors one step further, by segment (`*` for any key of a map, `#` for any index of a list). */
  private readonly next = new Map<string | number, SchemaCursor>();

  private constructor(
    /** The type here. */
    public readonly type: SchemaType,
    private readonly kindName: string,
    /** The kind has a schema, so unknown fields are errors. */
    public readonly checked: boolean,
  ) {}

  /** Free-form here: nothing below is known. */
  public get isFree(): boolean {
    return this.type === ANY;
  }

  /** A map of strings or other scalars (annotations, labels, data, nodeSelector, limits): one key, then a scalar. */
  public get isScalarMap(): boolean {
    return this.type === 'm';
  }

  /**
   * Whether a list with list-map keys can be at or below this position (a free-form field holds
   * none: nothing below it is known).
   */
  public get reachesListMap(): boolean {
    return typeReachesListMap(this.type, definitionsReachingListMaps());
  }

  /** A scalar: nothing can follow it. */
  public get isScalar(): boolean {
    return this.type === 's';
  }

  /** A list. */
  public get isList(): boolean {
    return Array.isArray(this.type);
  }

  /** An object with named fields, or a map of objects. */
  public get isObject(): boolean {
    return this.fields !== undefined || this.mapValue !== undefined;
  }

  /** The list-map keys of a list, if Kubernetes identifies its entries by keys. */
  public get listMapKeys(): readonly ListMapKey[] | undefined {
    if (!Array.isArray(this.type) || this.type.length < 2) return undefined;
    return (this.keys ??= Object.freeze(
      (this.type as readonly string[]).slice(1).map((key) => {
        const [field, fallback] = key.split('=');
        return Object.freeze(fallback === undefined ? { field } : { field, default: fallback });
      }),
    ));
  }

  private keys?: readonly ListMapKey[];

  /** The name of the type, for messages: `Container`, `map of strings`, `list of Container`. */
  public get description(): string {
    return describeType(this.type);
  }

  /**
   * The cursor one segment further, or an error message (without the path) when the segment
   * cannot be there.
   */
  public step(segment: string | number): SchemaCursor | string {
    if (this.type === ANY) return this;
    const anyKey = this.type === 'm' || this.mapValue !== undefined || (this.type === UNKNOWN_KIND && segment !== 'metadata');
    const key = anyKey ? (typeof segment === 'string' ? '*' : segment) : typeof segment === 'number' ? '#' : segment;
    const known = this.next.get(key);
    if (known !== undefined) return known;
    const next = this.stepUncached(segment);
    if (typeof next !== 'string') this.next.set(key, next);
    return next;
  }

  private stepUncached(segment: string | number): SchemaCursor | string {
    const type = this.type;
    if (type === UNKNOWN_KIND)
      return typeof segment === 'string' ? this.at(segment === 'metadata' ? OBJECT_META : ANY) : 'an object has no list index';
    if (type === 's')
      return `${typeof segment === 'number' ? `[${segment}]` : segment} cannot follow a scalar field: it holds a single value`;
    if (type === 'm') {
      if (typeof segment === 'number') return `a map of strings has no list index [${segment}]`;
      return this.at('s');
    }
    if (Array.isArray(type)) {
      if (typeof segment === 'string')
        return `${describeType(type)} is a list: it takes an index such as [0], not the field ${JSON.stringify(segment)}`;
      return this.at(type[0]);
    }
    const mapValue = this.mapValue;
    if (mapValue !== undefined) {
      if (typeof segment === 'number') return `a map has no list index [${segment}]`;
      return this.at(mapValue);
    }
    const fields = this.fields!;
    const name = describeType(type);
    if (typeof segment === 'number') return `${name} is an object, not a list: there is no [${segment}]`;
    if (!Object.prototype.hasOwnProperty.call(fields, segment)) {
      const closest = closestNames(segment, Object.keys(fields));
      return `${name} has no field ${segment}${closest.length ? `; did you mean ${closest.join(' or ')}?` : ''} (Kubernetes ${kubernetesSchemaData().kubernetesVersion} ${this.kindName})`;
    }
    return this.at(fields[segment]);
  }

  /** The cursor at a path below this one, or undefined when the path leaves the schema. */
  public walk(path: readonly (string | number)[]): SchemaCursor | undefined {
    return path.reduce<SchemaCursor | undefined>((here, segment) => {
      const next = here?.step(segment);
      return typeof next === 'string' ? undefined : next;
    }, this);
  }

  private get fields(): Readonly<Record<string, SchemaType>> | undefined {
    return typeof this.type === 'string' ? kubernetesSchemaData().definitions[this.type] : undefined;
  }

  private get mapValue(): SchemaType | undefined {
    return typeof this.type === 'object' && !Array.isArray(this.type) ? (this.type as { '*': SchemaType })['*'] : undefined;
  }

  private at(type: SchemaType): SchemaCursor {
    return new SchemaCursor(type, this.kindName, this.checked);
  }
}

let reachingListMaps: ReadonlySet<string> | undefined;

/** The definitions with a list-map list among their fields, at any depth; computed once. */
function definitionsReachingListMaps(): ReadonlySet<string> {
  if (reachingListMaps) return reachingListMaps;
  const found = new Set<string>();
  const definitions = Object.entries(kubernetesSchemaData().definitions);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, fields] of definitions) {
      if (!found.has(name) && Object.values(fields).some((type) => typeReachesListMap(type, found))) {
        found.add(name);
        grew = true;
      }
    }
  }
  return (reachingListMaps = found);
}

function typeReachesListMap(type: SchemaType, reaching: ReadonlySet<string>): boolean {
  if (type === UNKNOWN_KIND) return true;
  if (Array.isArray(type)) return type.length > 1 || typeReachesListMap(type[0], reaching);
  if (typeof type === 'object') return typeReachesListMap((type as { '*': SchemaType })['*'], reaching);
  return reaching.has(type as string);
}

function describeType(type: SchemaType): string {
  if (type === 's') return 'scalar';
  if (type === 'm') return 'map of strings';
  if (type === ANY) return 'free-form field';
  if (type === UNKNOWN_KIND) return 'object';
  if (Array.isArray(type)) return `list of ${describeType(type[0])}`;
  if (typeof type === 'object') return `map of ${describeType((type as { '*': SchemaType })['*'])}`;
  return (type as string).slice((type as string).lastIndexOf('.') + 1);
}

/** The names closest to a misspelt one (edit distance at most a third of its length, at least 2), best first. */
export function closestNames(wrong: string, names: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(wrong.length / 3));
  const scored = names
    .map((name) => ({ name, distance: name.toLowerCase() === wrong.toLowerCase() ? 0 : editDistance(wrong, name) }))
    .filter((x) => x.distance <= limit)
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : 1));
  const best = scored[0]?.distance;
  return scored.filter((x) => x.distance === best).map((x) => x.name);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
