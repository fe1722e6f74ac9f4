// Writes src/chart/kubernetes-schema-data.ts: the fields of every built-in Kubernetes kind, compact,
// from the JSON schemas shipped in the kubernetes-models package (a devDependency, pinned), for the
// Kubernetes version that package was generated from. `node scripts/kubernetes-schema.mjs` rewrites
// the file; `--check` exits 1 when the committed file differs from what it would write.
//
// kubernetes-models leaves out the x-kubernetes-* extensions, so the list-map keys (the keys
// server-side apply and strategic merge patch identify list entries by: x-kubernetes-list-map-keys,
// else x-kubernetes-patch-merge-key) are the table LIST_MAP_KEYS below, taken from the Kubernetes
// API types of that version; every entry is checked against the schemas here.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'src/chart/kubernetes-schema-data.ts');
const require = createRequire(join(root, 'package.json'));
const SOURCE_PACKAGES = ['kubernetes-models', '@kubernetes-models/apimachinery'];
const PREFIX = 'io.k8s.';

/** Definition → list field → its keys (`name=default` where the API server defaults a key). */
const LIST_MAP_KEYS = {
  'api.core.v1.PodSpec': {
    containers: ['name'],
    initContainers: ['name'],
    ephemeralContainers: ['name'],
    volumes: ['name'],
    imagePullSecrets: ['name'],
    hostAliases: ['ip'],
    topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
    schedulingGates: ['name'],
    resourceClaims: ['name'],
  },
  'api.core.v1.Container': {
    env: ['name'],
    ports: ['containerPort', 'protocol=TCP'],
    volumeMounts: ['mountPath'],
    volumeDevices: ['devicePath'],
  },
  'api.core.v1.EphemeralContainer': {
    env: ['name'],
    ports: ['containerPort', 'protocol=TCP'],
    volumeMounts: ['mountPath'],
    volumeDevices: ['devicePath'],
  },
  'api.core.v1.ResourceRequirements': { claims: ['name'] },
  'api.core.v1.ServiceSpec': { ports: ['port', 'protocol=TCP'] },
  'api.core.v1.ServiceAccount': { secrets: ['name'] },
  'apimachinery.pkg.apis.meta.v1.ObjectMeta': { ownerReferences: ['uid'] },
  'api.admissionregistration.v1.MutatingWebhookConfiguration': { webhooks: ['name'] },
  'api.admissionregistration.v1.ValidatingWebhookConfiguration': { webhooks: ['name'] },
};

function packageDir(name) {
  return dirname(require.resolve(`${name}/package.json`));
}

function loadSchemas() {
  const schemas = new Map();
  for (const name of SOURCE_PACKAGES) {
    const dir = join(packageDir(name), '_schemas');
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .sort()) {
      const module = { exports: {} };
      const fakeRequire = (request) =>
        request === '@kubernetes-models/validate' ? { register: (id, schema) => schemas.set(id, schema) } : { addSchema() {} };
      new Function('exports', 'require', 'module', readFileSync(join(dir, file), 'utf8'))(module.exports, fakeRequire, module);
      module.exports.addSchema();
    }
  }
  return schemas;
}

function kubernetesVersion() {
  const readme = readFileSync(join(packageDir('kubernetes-models'), 'README.md'), 'utf8');
  const found = /badge\/kubernetes-(\d+\.\d+\.\d+)-/.exec(readme);
  if (!found) throw new Error('kubernetes-models README names no Kubernetes version');
  return found[1];
}

function shortName(id) {
  if (!id.startsWith(PREFIX)) throw new Error(`unexpected schema id ${id}`);
  return id.slice(PREFIX.length);
}

/** Two object schemas with the same fields (the enums a kind puts on apiVersion and kind aside). */
function sameFields(a, b) {
  const fields = (schema) =>
    JSON.stringify(
      Object.entries(schema.properties)
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([name, field]) => [
          name,
          typeof field.type === 'string' && field.enum ? { type: field.type } : { ...field, nullable: undefined },
        ]),
    );
  return fields(a) === fields(b);
}

function generate() {
  const schemas = loadSchemas();
  const definitions = new Map();
  const pending = [];
  const refName = (ref) => ref.replace(/#$/, '');

  const typeOf = (schema, context) => {
    if (schema.oneOf) {
      const options = schema.oneOf.filter((s) => s.type !== 'null');
      if (options.length === 1) return typeOf(options[0], context);
      return options.every((s) => typeOf(s, context) === 's') ? 's' : '*';
    }
    if (schema.properties && !schema.$ref) {
      const same = [...schemas].find(([, other]) => other.properties && sameFields(other, schema));
      if (same) return typeOf({ $ref: same[0] }, context);
      schemas.set(context, schema);
      return typeOf({ $ref: context }, context);
    }
    if (schema.$ref) {
      const id = refName(schema.$ref);
      const target = schemas.get(id);
      if (!target) throw new Error(`unknown $ref ${id}`);
      if (!target.properties) return typeOf(target, id);
      if (!definitions.has(id)) {
        definitions.set(id, null);
        pending.push(id);
      }
      return shortName(id);
    }
    if (schema.type === 'array') return [typeOf(schema.items ?? {}, `${context}Item`)];
    if (schema.type === 'object' || schema.additionalProperties) {
      if (!schema.additionalProperties || schema.additionalProperties === true) return '*';
      const values = typeOf(schema.additionalProperties, `${context}Value`);
      return values === 's' ? 'm' : { '*': values };
    }
    if (['string', 'integer', 'number', 'boolean'].includes(schema.type)) return 's';
    return '*';
  };

  const kinds = {};
  for (const [id, schema] of [...schemas].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const apiVersion = schema.properties?.apiVersion?.enum;
    const kind = schema.properties?.kind?.enum;
    if (apiVersion?.length !== 1 || kind?.length !== 1 || !schema.properties.metadata) continue;
    kinds[`${apiVersion[0]}/${kind[0]}`] = typeOf({ $ref: id }, id);
  }
  while (pending.length) {
    const id = pending.shift();
    const fields = {};
    for (const [field, schema] of Object.entries(schemas.get(id).properties).sort(([a], [b]) => (a < b ? -1 : 1))) {
      fields[field] = typeOf(schema, `${id}.${field}`);
    }
    definitions.set(id, fields);
  }

  for (const [definition, lists] of Object.entries(LIST_MAP_KEYS)) {
    const fields = definitions.get(PREFIX + definition);
    if (!fields) throw new Error(`LIST_MAP_KEYS: no definition ${definition}`);
    for (const [field, keys] of Object.entries(lists)) {
      const type = fields[field];
      if (!Array.isArray(type) || typeof type[0] !== 'string' || !definitions.get(PREFIX + type[0])) {
        throw new Error(`LIST_MAP_KEYS: ${definition}.${field} is not a list of objects`);
      }
      const item = definitions.get(PREFIX + type[0]);
      for (const key of keys) {
        if (item[key.split('=')[0]] !== 's') throw new Error(`LIST_MAP_KEYS: ${type[0]} has no scalar field ${key}`);
      }
      fields[field] = [type[0], ...keys];
    }
  }

  const sorted = [...definitions].sort(([a], [b]) => (a < b ? -1 : 1));
  const version = kubernetesVersion();
  const source = `${SOURCE_PACKAGES[0]}@${require(`${SOURCE_PACKAGES[0]}/package.json`).version}`;
  const lines = [
    '// Generated by scripts/kubernetes-schema.mjs from the package named below; do not edit.',
    '// Regenerate with `node scripts/kubernetes-schema.mjs` (test/core/field-paths.test.ts checks it is current).',
    '',
    '/**',
    " * The type of a field: `'s'` a scalar (string, number, boolean, quantity, int-or-string), `'m'` a map of",
    " * scalars (annotations, labels, ConfigMap data, resource limits), `'*'` free-form (not checked), a",
    ' * definition name, `[item, ...keys]` a list (keys: its list-map keys, `name=default` where the API',
    " * server defaults that key), `{ '*': type }` a map of that type.",
    ' */',
    "export type SchemaType = string | readonly string[] | { readonly '*': SchemaType };",
    '',
    '/** The fields of the built-in kinds of one Kubernetes version. */',
    'export interface KubernetesSchemaData {',
    '  /** The Kubernetes version the schemas describe. */',
    '  readonly kubernetesVersion: string;',
    '  /** The package they were generated from, `name@version`. */',
    '  readonly source: string;',
    "  /** `apiVersion/Kind` → the kind's definition. */",
    '  readonly kinds: Readonly<Record<string, SchemaType>>;',
    '  /** Definition → field → type. */',
    '  readonly definitions: Readonly<Record<string, Readonly<Record<string, SchemaType>>>>;',
    '}',
    '',
    '/** The fields of the built-in kinds of one Kubernetes version. */',
    'export const KUBERNETES_SCHEMA_DATA: KubernetesSchemaData = {',
    `  kubernetesVersion: ${JSON.stringify(version)},`,
    `  source: ${JSON.stringify(source)},`,
    '  kinds: {',
    ...Object.entries(kinds).map(([kind, type]) => `    ${JSON.stringify(kind)}: ${JSON.stringify(type)},`),
    '  },',
    '  definitions: {',
    ...sorted.map(([id, fields]) => `    ${JSON.stringify(shortName(id))}: ${JSON.stringify(fields)},`),
    '  },',
    '};',
    '',
  ];
  return lines.join('\n');
}

const text = generate();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file differs
  }
  if (current !== text) {
    console.error(`${target} is not what scripts/kubernetes-schema.mjs writes: run node scripts/kubernetes-schema.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target} (${text.length} bytes)`);
}
