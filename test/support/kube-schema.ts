/**
 * Validate rendered Kubernetes manifests against the Kubernetes 1.27 API schema — offline.
 *
 * Schemas come from the npm package `kubernetes-models@4.3.1` (devDependency, pinned exactly).
 * That release's changelog entry is "Update schema version to v1.27.1" (the next schema bump,
 * 4.5.0, moves to v1.33.0), its README badge says kubernetes 1.27.1, and its schemas have the
 * fields added in 1.27 (`Container.resizePolicy`) but none added in 1.28 (`Container.restartPolicy`,
 * `JobSpec.podReplacementPolicy`). 4.4.x is also 1.27.1 but ships only precompiled validators, so
 * the raw JSON schemas we need to tighten are not available there.
 *
 * The package's schemas (like the upstream OpenAPI spec) allow unknown fields, so this module makes
 * them strict before compiling them with the project's own ajv@8: every object schema that lists
 * `properties` gets `additionalProperties: false` (free-form maps such as `labels` keep theirs).
 * Two more rewrites keep error messages readable without changing what is accepted:
 *  - `oneOf: [{$ref: X}, {type: "null"}]` (optional object, may be null) becomes
 *    `if: {type: "null"}, else: {$ref: X}`, so a bad object reports X's own errors;
 *  - int-or-string (`oneOf: [string, integer/int32]`) and quantity (`oneOf: [number, string/quantity]`)
 *    become a type union plus the one format, which ajv applies only to values of that format's type.
 *
 * Group/versions that the package carries for older clusters (extensions/v1beta1,
 * policy/v1beta1, batch/v1beta1, autoscaling/v2beta2, ...) are rejected: a 1.27 API server no longer
 * serves them. Alpha APIs are not in the package and are reported as unknown.
 *
 * Everything is lazy: a kind's schema files are read and its validator compiled on the first
 * manifest of that kind, then cached for the life of the process (one jest worker).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

/** The Kubernetes release the schemas were generated from. */
export const KUBERNETES_SCHEMA_VERSION = '1.27.1';

/**
 * apiVersions a Kubernetes 1.27 API server serves (GA and beta). Anything else is an error even when
 * `kubernetes-models` has a schema for it, because that schema is for a removed API.
 */
export const SERVED_API_VERSIONS: ReadonlySet<string> = new Set([
  'v1',
  'admissionregistration.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'apiregistration.k8s.io/v1',
  'apps/v1',
  'authentication.k8s.io/v1',
  'authorization.k8s.io/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'batch/v1',
  'certificates.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'events.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1',
  'node.k8s.io/v1',
  'policy/v1',
  'rbac.authorization.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1',
]);

type JsonSchema = { [key: string]: unknown };

// ---------------------------------------------------------------------------------------------
// Reading the schemas shipped in kubernetes-models
// ---------------------------------------------------------------------------------------------

/**
 * Each `_schemas/<Name>.js` file of kubernetes-models (and of @kubernetes-models/apimachinery) is a
 * small CommonJS module: it requires the schema modules it references, and its `addSchema()` calls
 * theirs and then `register(id, schema)` from @kubernetes-models/validate. We evaluate those files
 * with our own `require`, whose `register` records the schema instead of adding it to that
 * package's global, non-strict ajv instance. So we follow the package's own dependency graph and
 * depend on nothing inside @kubernetes-models/validate.
 */
class SchemaSource {
  readonly schemas = new Map<string, JsonSchema>();
  private readonly schemaDir: string;
  private readonly loaded = new Map<string, string | undefined>(); // file -> schema id it registered
  private readonly packageDirs = new Map<string, string>();
  private fileNames: string[] | undefined;

  constructor() {
    this.schemaDir = path.join(this.packageDir('kubernetes-models', __dirname), '_schemas');
  }

  /** The schema id for a top-level kind, or undefined when the package has none. */
  findKind(apiVersion: string, kind: string): string | undefined {
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    // Files are named after the schema id in PascalCase, e.g. IoK8sApiAppsV1Deployment.js.
    const suffix = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}.js`;
    this.fileNames ??= fs.readdirSync(this.schemaDir).filter((f) => f.endsWith('.js'));
    for (const name of this.fileNames) {
      if (!name.endsWith(suffix)) continue;
      const id = this.load(path.join(this.schemaDir, name));
      const props = id === undefined ? undefined : (this.schemas.get(id)?.properties as JsonSchema | undefined);
      if (enumOf(props?.apiVersion).includes(apiVersion) && enumOf(props?.kind).includes(kind)) return id;
    }
    return undefined;
  }

  /** Evaluate one schema file and, through its addSchema(), everything it references. */
  private load(file: string): string | undefined {
    if (this.loaded.has(file)) return this.loaded.get(file);
    this.loaded.set(file, undefined); // guards against reference cycles
    const dir = path.dirname(file);
    let ownId: string | undefined;
    const shimRequire = (request: string): unknown => {
      if (request === '@kubernetes-models/validate') {
        return {
          register: (id: string, schema: JsonSchema) => {
            ownId = id;
            if (!this.schemas.has(id)) this.schemas.set(id, schema);
          },
        };
      }
      const target = this.resolve(request, dir);
      return { addSchema: () => void this.load(target) };
    };
    const module = { exports: {} as { addSchema?: () => void } };
    const run = new Function('exports', 'require', 'module', '__filename', '__dirname', fs.readFileSync(file, 'utf8'));
    run(module.exports, shimRequire, module, file, dir);
    if (typeof module.exports.addSchema !== 'function') {
      throw new Error(`kube-schema: ${file} has no addSchema() export; kubernetes-models layout changed?`);
    }
    module.exports.addSchema();
    if (ownId === undefined) throw new Error(`kube-schema: ${file} registered no schema`);
    this.loaded.set(file, ownId);
    return ownId;
  }

  private resolve(request: string, fromDir: string): string {
    const withJs = (p: string) => (p.endsWith('.js') ? p : `${p}.js`);
    if (request.startsWith('./') || request.startsWith('../')) return withJs(path.resolve(fromDir, request));
    // "@kubernetes-models/apimachinery/_schemas/IoK8sApimachineryPkgApisMetaV1ObjectMeta"
    const parts = request.split('/');
    const pkgName = request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    const subPath = parts.slice(request.startsWith('@') ? 2 : 1).join('/');
    if (!subPath.startsWith('_schemas/')) {
      throw new Error(`kube-schema: unexpected require("${request}") in a schema file under ${fromDir}`);
    }
    return withJs(path.join(this.packageDir(pkgName, fromDir), subPath));
  }

  private packageDir(pkgName: string, fromDir: string): string {
    const key = `${pkgName}\0${fromDir}`;
    let dir = this.packageDirs.get(key);
    if (dir === undefined) {
      dir = path.dirname(require.resolve(`${pkgName}/package.json`, { paths: [fromDir] }));
      this.packageDirs.set(key, dir);
    }
    return dir;
  }
}

function enumOf(schema: unknown): unknown[] {
  const values = (schema as JsonSchema | undefined)?.enum;
  return Array.isArray(values) ? values : [];
}

// ---------------------------------------------------------------------------------------------
// Making the schemas strict
// ---------------------------------------------------------------------------------------------

const SUBSCHEMA_KEYS = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else']);
const SUBSCHEMA_LIST_KEYS = new Set(['oneOf', 'anyOf', 'allOf']);

function isPlainObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A strict copy of a schema (see the file comment); the input is not modified. */
export function strictify(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isPlainObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, isPlainObject(sub) ? strictify(sub) : sub]));
    } else if (SUBSCHEMA_KEYS.has(key) && isPlainObject(value)) {
      out[key] = strictify(value);
    } else if (SUBSCHEMA_LIST_KEYS.has(key) && Array.isArray(value)) {
      out[key] = value.map((sub) => (isPlainObject(sub) ? strictify(sub) : sub));
    } else {
      out[key] = value;
    }
  }

  const branches = out.oneOf;
  if (Array.isArray(branches) && branches.every(isPlainObject)) {
    const nullIndex = branches.findIndex((b) => b.type === 'null' && Object.keys(b).length === 1);
    if (branches.length === 2 && nullIndex >= 0) {
      // Optional object that may also be null.
      delete out.oneOf;
      out.if = { type: 'null' };
      out.else = branches[1 - nullIndex];
    } else if (
      branches.length > 1 &&
      branches.every((b) => typeof b.type === 'string' && Object.keys(b).every((k) => k === 'type' || k === 'format')) &&
      new Set(branches.map((b) => b.type)).size === branches.length &&
      branches.filter((b) => b.format !== undefined).length <= 1 &&
      out.type === undefined &&
      out.format === undefined
    ) {
      // int-or-string, quantity: a union of plain types; a format only checks values of its own type.
      delete out.oneOf;
      out.type = branches.map((b) => b.type);
      const format = branches.find((b) => b.format !== undefined)?.format;
      if (format !== undefined) out.format = format;
    }
  }

  if (isPlainObject(out.properties) && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ajv
// ---------------------------------------------------------------------------------------------

// https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go
const QUANTITY = /^[+-]?(?:\d+|\d+\.\d+|\d+\.|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?(?:\d+|\d+\.\d+|\d+\.|\.\d+))?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true, // report every typo in a manifest, not just the first
    strictTypes: false, // the upstream schemas use `nullable` on several types and type unions
    strictTuples: false,
    strictRequired: false,
  });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('byte', { type: 'string', validate: (s: string) => BASE64.test(s) });
  ajv.addFormat('quantity', { type: 'string', validate: (s: string) => QUANTITY.test(s) });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => RFC3339.test(s) });
  return ajv;
}

type Entry = { validate: ValidateFunction } | { error: string };

let source: SchemaSource | undefined;
let ajv: Ajv | undefined;
const added = new Set<string>();
const byKind = new Map<string, Entry>();

function entryFor(apiVersion: string, kind: string): Entry {
  const key = `${apiVersion}\0${kind}`;
  let entry = byKind.get(key);
  if (entry) return entry;
  if (!SERVED_API_VERSIONS.has(apiVersion)) {
    entry = { error: `apiVersion "${apiVersion}" is not served by Kubernetes 1.27 (kind ${kind})` };
  } else {
    source ??= new SchemaSource();
    const id = source.findKind(apiVersion, kind);
    if (id === undefined) {
      entry = { error: `unknown kind "${kind}" in apiVersion "${apiVersion}" (no Kubernetes 1.27 schema)` };
    } else {
      ajv ??= createAjv();
      for (const [schemaId, schema] of source.schemas) {
        if (added.has(schemaId)) continue;
        ajv.addSchema(strictify(schema), schemaId);
        added.add(schemaId);
      }
      const validate = ajv.getSchema(id);
      if (!validate) throw new Error(`kube-schema: failed to compile ${id}`);
      entry = { validate };
    }
  }
  byKind.set(key, entry);
  return entry;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

function pointerSegments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** "/spec/template/spec/containers/0" -> "spec.template.spec.containers[0]" */
function displayPath(pointer: string): string {
  let out = '';
  for (const segment of pointerSegments(pointer)) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function valueAt(doc: unknown, pointer: string): unknown {
  let value = doc;
  for (const segment of pointerSegments(pointer)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'object') return 'object';
  return `${typeof value} ${String(value)}`;
}

function describeError(e: ErrorObject, doc: unknown): string | undefined {
  const where = displayPath(e.instancePath);
  const prefix = where === '' ? '' : `${where}: `;
  const got = () => describe(valueAt(doc, e.instancePath));
  switch (e.keyword) {
    case 'if': // the "null or object" wrapper; the object's own errors are reported
      return undefined;
    case 'additionalProperties':
      return `${prefix}unknown field ${JSON.stringify(e.params.additionalProperty)}`;
    case 'required':
      return `${prefix}missing required field ${JSON.stringify(e.params.missingProperty)}`;
    case 'type': {
      const types = ([] as string[]).concat(e.params.type as string | string[]);
      return `${prefix}must be ${types.join(' or ')} (got ${got()})`;
    }
    case 'enum':
      return `${prefix}must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${got()})`;
    case 'format':
      return `${prefix}must be a valid ${e.params.format} (got ${got()})`;
    default:
      return `${prefix}${e.message ?? e.keyword}`;
  }
}

// ---------------------------------------------------------------------------------------------
// API
// ---------------------------------------------------------------------------------------------

/**
 * Validate one parsed manifest (a YAML document turned into plain data) against the Kubernetes 1.27
 * schema of its apiVersion/kind, rejecting unknown fields.
 *
 * Returns human-readable errors, each prefixed with "Kind/name: " and the field path, e.g.
 * `Deployment/web: spec.template.spec.containers[0]: unknown field "imagee"`; empty when valid.
 * A manifest whose apiVersion/kind has no 1.27 schema is an error, never skipped.
 */
export function validateManifest(doc: unknown): string[] {
  if (!isPlainObject(doc)) return [`<manifest>: must be an object (got ${describe(doc)})`];
  const { apiVersion, kind } = doc;
  const metadata = doc.metadata;
  const name = isPlainObject(metadata) && typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : '<unnamed>';
  const label = `${typeof kind === 'string' && kind !== '' ? kind : '<no kind>'}/${name}`;

  const missing: string[] = [];
  if (typeof apiVersion !== 'string' || apiVersion === '')
    missing.push(`apiVersion must be a non-empty string (got ${describe(apiVersion)})`);
  if (typeof kind !== 'string' || kind === '') missing.push(`kind must be a non-empty string (got ${describe(kind)})`);
  if (missing.length > 0) return missing.map((m) => `${label}: ${m}`);

  const entry = entryFor(apiVersion as string, kind as string);
  if ('error' in entry) return [`${label}: ${entry.error}`];
  if (entry.validate(doc)) return [];

  const messages = new Set<string>();
  for (const e of entry.validate.errors ?? []) {
    const message = describeError(e, doc);
    if (message !== undefined) messages.add(`${label}: ${message}`);
  }
  return [...messages];
}

/** Validate several manifests (e.g. every document of a rendered chart); all errors, in order. */
export function validateManifests(docs: Iterable<unknown>): string[] {
  const errors: string[] = [];
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue; // empty YAML documents ("---" with nothing after)
    errors.push(...validateManifest(doc));
  }
  return errors;
}
