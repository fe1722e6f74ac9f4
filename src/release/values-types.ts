import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { HelmSynthError } from '../errors';
import { coalesceValues } from '../helm/coalesce-values';
import { unpackChart } from './chart-archive';
import { chartDependencies } from './chart-lock';
import { vendoredCharts } from './vendored-charts';
import { VersionRange } from './version-range';
import { ChartContent, readChartDirectory } from './chart-content';

/** The values schema file of a chart. */
export const VALUES_SCHEMA_FILE = 'values.schema.json';

/** Options of `valuesTypes`. */
export interface ValuesTypesOptions {
  /**
   * Name of the interface of the whole values tree.
   * @default `<ChartName>Values` in PascalCase (`web-app` → `WebAppValues`)
   */
  readonly name?: string;
  /**
   * The chart's default values (values.yaml): a key the schema requires is optional in the type when
   * the defaults give it, since Helm merges them under the user's values.
   * @default none: every required key is required
   */
  readonly defaults?: unknown;
  /** Named in errors. @default 'values.schema.json' */
  readonly origin?: string;
}

/**
 * TypeScript declarations of a chart's values, from the chart folder, a `.tgz`, or a
 * values.schema.json file: the chart's schema as types for the values a consumer writes (a
 * values-prod.yaml, a HelmRelease, a cdk8s `Helm` construct). A chart without a schema is an error,
 * never guessed from values.yaml.
 */
export function valuesTypesOfChart(path: string, options: Omit<ValuesTypesOptions, 'defaults' | 'origin'> = {}): string {
  if (!existsSync(path)) throw new HelmSynthError(path, 'not found: give a chart folder, a chart archive (.tgz) or a values.schema.json');
  if (statSync(path).isFile() && !path.endsWith('.tgz') && !path.endsWith('.tar.gz')) {
    return valuesTypes(readJson(readFileSync(path, 'utf8'), path), { ...options, origin: path });
  }
  const chart: ChartContent = statSync(path).isDirectory() ? readChartDirectory(path) : unpackChart(readFileSync(path), path);
  const values = chartValuesSchema(chart);
  if (!values) {
    throw new HelmSynthError(
      chart.origin,
      `chart ${chart.name} ${chart.version} has no ${VALUES_SCHEMA_FILE}: its values have no declared types, and helm-synth does not guess them from values.yaml`,
    );
  }
  return valuesTypes(values.schema, {
    name: options.name ?? `${pascalCase(chart.name)}Values`,
    defaults: values.defaults,
    origin: `${chart.origin}/${VALUES_SCHEMA_FILE}`,
  });
}

/**
 * A chart's values schema and defaults, with the schema of each subchart vendored in `charts/`
 * that a Chart.yaml dependency uses put under the dependency's key (its alias, else its name),
 * and the subchart's defaults under the parent's: Helm checks a subchart's values, the parent's
 * under that key merged over the subchart's values.yaml, against the subchart's schema. Where the
 * parent's schema also describes the key, both apply (`allOf`). Undefined when the chart itself has
 * no schema.
 */
function chartValuesSchema(chart: ChartContent): { schema: unknown; defaults: unknown } | undefined {
  const text = chart.files.get(VALUES_SCHEMA_FILE);
  if (!text) return undefined;
  const schema = readJson(text.toString('utf8'), `${chart.origin}/${VALUES_SCHEMA_FILE}`);
  const valuesFile = chart.files.get('values.yaml');
  let defaults: unknown = valuesFile ? (parse(valuesFile.toString('utf8'), { version: '1.1' }) ?? {}) : undefined;
  if (!isRecord(schema) || !chart.files.has('Chart.yaml')) return { schema, defaults };
  const vendored = vendoredCharts(chart);
  const properties: Record<string, unknown> = { ...(isRecord(schema.properties) ? schema.properties : {}) };
  let changed = false;
  for (const dependency of chartDependencies(chart)) {
    const range = VersionRange.parse(dependency.version, `${chart.origin}/Chart.yaml dependency ${dependency.name}`);
    const subchart = vendored.find((v) => v.content.name === dependency.name && range.matches(v.content.version));
    const sub = subchart && chartValuesSchema(subchart.content);
    if (!sub) continue;
    const key = dependency.alias ?? dependency.name;
    const pointer = `#/properties/${escapePointer(key)}`;
    const own = isOpenMap(properties[key]) ? undefined : properties[key];
    const placed = own === undefined ? pointer : `${pointer}/allOf/1`;
    const described =
      isRecord(sub.schema) && sub.schema.description === undefined && isRecord(properties[key]) ? properties[key].description : undefined;
    const subSchema = rebaseReferences(
      described === undefined ? sub.schema : { ...(sub.schema as object), description: described },
      placed,
    );
    properties[key] = own === undefined ? subSchema : { allOf: [own, subSchema] };
    defaults = {
      ...(isRecord(defaults) ? defaults : {}),
      [key]: coalesceValues(sub.defaults, isRecord(defaults) ? defaults[key] : undefined),
    };
    changed = true;
  }
  return { schema: changed ? { ...schema, properties } : schema, defaults };
}

/** A schema that only says "a map of anything" (a parent's pass-through key): the subchart's schema says more. */
function isOpenMap(schema: unknown): boolean {
  return (
    isRecord(schema) &&
    (schema.type === 'object' || schema.type === undefined) &&
    Object.keys(schema).every((key) => ['type', 'description', 'title', 'default'].includes(key))
  );
}

/** A subchart's schema moved to `at` in its parent's: its local references (`#...`) point there. */
function rebaseReferences(schema: unknown, at: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => rebaseReferences(item, at));
  if (!isRecord(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${at}${value.slice(1)}` : rebaseReferences(value, at),
    ]),
  );
}

/**
 * TypeScript declarations for a JSON schema (draft-07 as Helm validates it): an interface per
 * object with properties, JSDoc from `title`, `description` and `default`, `enum`/`const` as literal
 * unions, `anyOf`/`oneOf` as unions, `allOf` as intersections, `additionalProperties` and
 * `patternProperties` as index signatures, local `$ref`s (`#/definitions/x`, `#/$defs/x`, any JSON
 * pointer) as named types. Keywords that constrain values but not types (`pattern`, `minimum`,
 * `if`/`then`) are left to the schema.
 */
export function valuesTypes(schema: unknown, options: ValuesTypesOptions = {}): string {
  const writer = new TypesWriter(schema, options.origin ?? VALUES_SCHEMA_FILE);
  writer.root(options.name ?? 'Values', options.defaults);
  return writer.text();
}

type Schema = Readonly<Record<string, any>>;

/** What a reference back to a type alias being declared stands for, until it is dropped from a union or read as `unknown`. */
const CYCLE = '\u0000cycle';

/** The first line of every file `helm-synth types` writes: files that start with it are its own. */
export const VALUES_TYPES_HEADER = '// Generated by helm-synth types from the chart values schema. Do not edit.\n';

class TypesWriter {
  private readonly declarations: string[] = [];
  private readonly names = new Set<string>();
  private readonly refNames = new Map<string, string>();
  /** References being declared as type aliases with no interface, array or map between them and here: a reference back to one is a cycle TypeScript refuses. */
  private openAliases = new Set<string>();

  constructor(
    private readonly document: unknown,
    private readonly origin: string,
  ) {
    if (!document || typeof document !== 'object' || Array.isArray(document)) {
      throw new HelmSynthError(origin, 'is not a JSON schema object');
    }
  }

  public root(name: string, defaults: unknown): void {
    const schema = this.document as Schema;
    const claimed = this.claim(name);
    this.refNames.set('#', claimed);
    if (this.isObjectSchema(schema)) this.objectDeclaration(claimed, schema, '#', defaults);
    else {
      this.openAliases.add('#');
      this.declarations.push(`${docComment(schema, '')}export type ${claimed} = ${this.type(schema, name, '#', defaults)};`);
      this.openAliases.delete('#');
    }
  }

  public text(): string {
    return `${VALUES_TYPES_HEADER}\n${this.declarations.join('\n\n')}\n`;
  }

  private claim(name: string): string {
    let unique = name;
    for (let i = 2; this.names.has(unique); i++) unique = `${name}${i}`;
    this.names.add(unique);
    return unique;
  }

  private isObjectSchema(schema: Schema): boolean {
    return (
      (schema.type === 'object' || (schema.type === undefined && (schema.properties || schema.additionalProperties !== undefined))) &&
      !schema.$ref &&
      !schema.anyOf &&
      !schema.oneOf &&
      !schema.enum &&
      schema.const === undefined
    );
  }

  /** Declares the interface of an object schema under a name already claimed; returns the name. */
  private objectDeclaration(claimed: string, schema: Schema, pointer: string, defaults: unknown): string {
    return this.deferred(() => this.declareObject(claimed, schema, pointer, defaults));
  }

  /** Runs `declare` where TypeScript defers the types it names (in an interface, array or map), so references back are no cycle. */
  private deferred<T>(declare: () => T): T {
    const open = this.openAliases;
    this.openAliases = new Set();
    try {
      return declare();
    } finally {
      this.openAliases = open;
    }
  }

  private declareObject(claimed: string, schema: Schema, pointer: string, defaults: unknown): string {
    const members: string[] = [];
    const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
    const properties: Record<string, Schema> = schema.properties ?? {};
    const memberTypes: string[] = [];
    let optionalMembers = false;
    const slot = this.declarations.length;
    this.declarations.push('');
    for (const key of Object.keys(properties)) {
      const child = properties[key];
      const childDefaults = isRecord(defaults) ? defaults[key] : undefined;
      const type = this.type(child, `${claimed}${pascalCase(key)}`, `${pointer}/properties/${escapePointer(key)}`, childDefaults);
      memberTypes.push(type);
      const optional = !required.has(key) || (isRecord(defaults) && defaults[key] !== undefined && defaults[key] !== null);
      optionalMembers ||= optional;
      members.push(`${docComment(child, '  ')}  ${propertyName(key)}${optional ? '?' : ''}: ${type};`);
    }
    const index = this.indexSignature(schema, claimed, pointer);
    if (index !== undefined) {
      const union = unique([index, ...memberTypes, ...(optionalMembers ? ['undefined'] : [])]);
      members.push(`  [key: string]: ${union.includes('unknown') ? 'unknown' : union.join(' | ')};`);
    }
    this.declarations[slot] = `${docComment(schema, '')}export interface ${claimed} {\n${members.join('\n')}${members.length ? '\n' : ''}}`;
    return claimed;
  }

  /** The index signature's type, or undefined when no other keys are allowed. */
  private indexSignature(schema: Schema, name: string, pointer: string): string | undefined {
    const extra: string[] = [];
    const additional = schema.additionalProperties;
    if (additional === undefined || additional === true) extra.push('unknown');
    else if (additional && typeof additional === 'object')
      extra.push(this.type(additional, `${name}Entry`, `${pointer}/additionalProperties`, undefined));
    for (const [pattern, child] of Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>)) {
      extra.push(this.type(child, `${name}Entry`, `${pointer}/patternProperties/${escapePointer(pattern)}`, undefined));
    }
    return extra.length ? unique(extra).join(' | ') : undefined;
  }

  private type(schema: unknown, name: string, pointer: string, defaults: unknown): string {
    const type = this.typeOrCycle(schema, name, pointer, defaults);
    return type === CYCLE ? 'unknown' : type;
  }

  /** The type of a schema, or CYCLE for a reference back to a type alias being declared (it adds nothing to a union, and no constraint elsewhere). */
  private typeOrCycle(schema: unknown, name: string, pointer: string, defaults: unknown): string {
    if (schema === true || schema === undefined) return 'unknown';
    if (schema === false) return 'never';
    if (!isRecord(schema)) throw new HelmSynthError(this.origin, `${pointer} is not a schema: ${JSON.stringify(schema)}`);
    if (typeof schema.$ref === 'string') return this.reference(schema.$ref, pointer);
    if (schema.const !== undefined) return literal(schema.const);
    if (Array.isArray(schema.enum)) return unique(schema.enum.map(literal)).join(' | ') || 'never';
    if (Array.isArray(schema.allOf)) {
      const parts = schema.allOf.map((part: unknown, i: number) => this.type(part, `${name}${i + 1}`, `${pointer}/allOf/${i}`, defaults));
      const own = this.withoutCombinators(schema);
      return parenthesize(unique([...(own ? [this.type(own, name, pointer, defaults)] : []), ...parts]), ' & ');
    }
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      if (Array.isArray(schema[keyword])) {
        const parts = schema[keyword]
          .map((part: unknown, i: number) => this.typeOrCycle(part, `${name}${i + 1}`, `${pointer}/${keyword}/${i}`, defaults))
          .filter((part: string) => part !== CYCLE);
        return parts.length ? parenthesize(unique(parts), ' | ') : CYCLE;
      }
    }
    const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type !== undefined ? [schema.type] : [];
    if (types.length === 0) {
      if (schema.properties || schema.additionalProperties !== undefined || schema.patternProperties) types.push('object');
      else if (schema.items) types.push('array');
      else return 'unknown';
    }
    return parenthesize(
      unique(
        types.map((type) => {
          switch (type) {
            case 'string':
              return 'string';
            case 'integer':
            case 'number':
              return 'number';
            case 'boolean':
              return 'boolean';
            case 'null':
              return 'null';
            case 'array':
              return this.arrayType(schema, name, pointer);
            case 'object':
              return this.objectType(schema, name, pointer, defaults);
            default:
              throw new HelmSynthError(this.origin, `${pointer}: unknown type ${JSON.stringify(type)}`);
          }
        }),
      ),
      ' | ',
    );
  }

  private objectType(schema: Schema, name: string, pointer: string, defaults: unknown): string {
    if (schema.properties && Object.keys(schema.properties).length)
      return this.objectDeclaration(this.claim(name), schema, pointer, defaults);
    const index = this.deferred(() => this.indexSignature(schema, name, pointer));
    return index === undefined ? 'Record<string, never>' : `{ [key: string]: ${index} }`;
  }

  private arrayType(schema: Schema, name: string, pointer: string): string {
    return this.deferred(() => this.declareArray(schema, name, pointer));
  }

  private declareArray(schema: Schema, name: string, pointer: string): string {
    if (Array.isArray(schema.items)) {
      const items = schema.items.map((item: unknown, i: number) =>
        this.type(item, `${name}Item${i + 1}`, `${pointer}/items/${i}`, undefined),
      );
      const rest =
        schema.additionalItems === false
          ? []
          : [`...${wrap(this.type(schema.additionalItems, `${name}Item`, `${pointer}/additionalItems`, undefined))}[]`];
      return `[${[...items, ...rest].join(', ')}]`;
    }
    return `${wrap(this.type(schema.items, `${name}Item`, `${pointer}/items`, undefined))}[]`;
  }

  private withoutCombinators(schema: Schema): Schema | undefined {
    const { allOf: _allOf, ...rest } = schema;
    return rest.type || rest.properties || rest.enum || rest.$ref ? rest : undefined;
  }

  private reference(ref: string, from: string): string {
    if (!ref.startsWith('#')) {
      throw new HelmSynthError(
        this.origin,
        `${from}: $ref ${JSON.stringify(ref)} points outside the schema; only local references (#/definitions/...) are resolved`,
      );
    }
    if (ref.split('/').every((segment) => segment === '#' || segment === '')) ref = '#';
    if (this.openAliases.has(ref)) return CYCLE;
    const known = this.refNames.get(ref);
    if (known) return known;
    const target = resolvePointer(this.document, ref);
    if (target === undefined) throw new HelmSynthError(this.origin, `${from}: $ref ${JSON.stringify(ref)} points to nothing`);
    const segments = ref.split('/').filter(Boolean);
    const base = pascalCase(decodePointer(segments[segments.length - 1] ?? 'Root')) || 'Definition';
    const name = this.claim(base);
    this.refNames.set(ref, name);
    if (isRecord(target) && this.isObjectSchema(target)) return this.objectDeclaration(name, target, ref, undefined);
    const slot = this.declarations.length;
    this.declarations.push('');
    this.openAliases.add(ref);
    try {
      this.declarations[slot] =
        `${docComment(isRecord(target) ? target : {}, '')}export type ${name} = ${this.type(target, name, ref, undefined)};`;
    } finally {
      this.openAliases.delete(ref);
    }
    return name;
  }
}

function resolvePointer(document: unknown, ref: string): unknown {
  let current = document;
  for (const segment of ref.slice(1).split('/').filter(Boolean)) {
    if (!isRecord(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[decodePointer(segment)];
  }
  return current;
}

function decodePointer(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function docComment(schema: Schema, indent: string): string {
  const lines: string[] = [];
  if (typeof schema.title === 'string' && schema.title.trim()) lines.push(schema.title.trim());
  if (typeof schema.description === 'string' && schema.description.trim()) lines.push(...schema.description.trim().split(/\r\n|\r|\n/));
  if (schema.default !== undefined) lines.push(`@default ${JSON.stringify(schema.default)}`);
  if (schema.deprecated === true) lines.push('@deprecated');
  if (lines.length === 0) return '';
  const safe = lines.map((line) => line.replace(/\*\//g, '*\\/'));
  return `${indent}/**\n${safe.map((line) => `${indent} * ${line}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

function literal(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return 'unknown';
}

function propertyName(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}

function unique(types: readonly string[]): string[] {
  return [...new Set(types)];
}

function parenthesize(types: readonly string[], separator: string): string {
  if (types.length === 1) return types[0];
  return types.map((type) => (/[|&]/.test(type) && !type.startsWith('{') ? `(${type})` : type)).join(separator);
}

function wrap(type: string): string {
  return /[|&]/.test(type) && !type.startsWith('{') && !type.startsWith('[') ? `(${type})` : type;
}

/** `web-app` → `WebApp`; keeps letters and digits, a leading digit gets `_`. */
export function pascalCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
  return /^\d/.test(joined) ? `_${joined}` : joined;
}

function isRecord(value: unknown): value is Record<string, any> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function readJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HelmSynthError(origin, `is not JSON: ${(error as Error).message}`);
  }
}

/** The file name `helm-synth types` writes for a chart: `<chart>.values.d.ts`. */
export function valuesTypesFileName(chartPath: string): string {
  return `${basename(chartPath)
    .replace(/\.(tgz|tar\.gz)$/, '')
    .replace(/\.json$/, '')}.values.d.ts`;
}
