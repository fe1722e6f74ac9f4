import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  BITNAMI_IMAGE_KEYS,
  BITNAMI_LAYOUTS,
  BITNAMI_LEGACY_NAMESPACE,
  BITNAMI_POSTGRESQL,
  BITNAMI_RESTRICTED_SECURITY_CONTEXTS,
  BITNAMI_USER,
  BitnamiImageRole,
  BitnamiLayout,
  BitnamiLayoutData,
  InsecureImageCheck,
  ORIGINAL_IMAGE_NAMES,
  PINNED_BITNAMI_VERSIONS,
  POSTGRES_DEFAULT_PORT,
} from '../../src/postgres/bitnami-data';
import { bitnamiPostgresqlVersion } from '../../src/postgres/bitnami-postgresql';
import { SHARED_CHARTS } from '../support/dependencies';
import { reportMissingTool } from '../support/tools';

type Yaml = Record<string, any>;

const chartDir = (version: string): string => join(SHARED_CHARTS, 'bitnami', `postgresql-${version}`);
const pinned = Object.keys(PINNED_BITNAMI_VERSIONS);
const present = pinned.filter((version) => existsSync(chartDir(version)));
for (const version of pinned.filter((v) => !present.includes(v))) {
  reportMissingTool(`the bitnami tables against the real chart ${version}: ${chartDir(version)} is absent`);
}

/** The value at a dotted path, and whether every key on the way exists. */
function lookup(values: Yaml, path: string): { found: boolean; value?: unknown } {
  let node: unknown = values;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !(key in node)) return { found: false };
    node = (node as Yaml)[key];
  }
  return { found: true, value: node };
}

/** The text of every template of a chart folder (recursively), joined. */
function templatesText(dir: string): string {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ya?ml|tpl|txt)$/.test(entry.name))
    .map((entry) => readFileSync(join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name), 'utf8'))
    .join('\n');
}

/** Every values key a layout names, the persistence map as one key. */
function valuesKeysOf(layout: BitnamiLayoutData): string[] {
  return [
    layout.usernameKey,
    layout.databaseKey,
    layout.existingSecretKey,
    layout.persistenceKey,
    layout.resourcesKey,
    layout.servicePortKey,
    layout.superuserPassword.valuesKey,
    layout.userPassword.valuesKey,
    ...layout.securityContexts.map((c) => c.valuesKey),
    ...Object.keys(layout.fixedValues),
  ];
}

describe('the bitnami tables as data', () => {
  test('every pinned version has a layout, its repository and images under docker.io/bitnamilegacy/ with an original name', () => {
    for (const [version, data] of Object.entries(PINNED_BITNAMI_VERSIONS)) {
      expect(bitnamiPostgresqlVersion(version, 'test').version).toBe(version);
      expect(data.repository).toMatch(/^(https|oci):\/\//);
      for (const role of Object.values(BitnamiImageRole)) {
        const image = data.images[role];
        expect(image.registry).toBe('docker.io');
        const [namespace, name] = image.repository.split('/');
        expect(namespace).toBe(BITNAMI_LEGACY_NAMESPACE);
        expect(ORIGINAL_IMAGE_NAMES[role]).toContain(name);
      }
    }
  });

  test('the layouts cover consecutive majors and never share a values key between two settings', () => {
    const layouts = Object.values(BITNAMI_LAYOUTS);
    layouts.forEach((layout, i) => {
      expect(layout.majors.from).toBeLessThanOrEqual(layout.majors.to);
      if (i > 0) expect(layout.majors.from).toBe(layouts[i - 1].majors.to + 1);
      const keys = valuesKeysOf(layout);
      expect(new Set(keys).size).toBe(keys.length);
    });
  });
});

const describeReal = present.length ? describe.each(present) : describe.skip.each(pinned);

describeReal('the bitnami tables match the real bitnami/postgresql %s in ../shared/charts/bitnami', (version) => {
  const data = PINNED_BITNAMI_VERSIONS[version];
  const { layout } = bitnamiPostgresqlVersion(version, 'test');
  const keys = BITNAMI_LAYOUTS[layout];
  const dir = chartDir(version);
  const chart: Yaml = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8'));
  const values: Yaml = parse(readFileSync(join(dir, 'values.yaml'), 'utf8'));
  const common: Yaml = parse(readFileSync(join(dir, 'charts', 'common', 'Chart.yaml'), 'utf8'));
  const commonTemplates = templatesText(join(dir, 'charts', 'common', 'templates'));
  const templates = templatesText(join(dir, 'templates'));

  test('Chart.yaml: its name, version and server version', () => {
    expect({ name: chart.name, version: chart.version, appVersion: chart.appVersion }).toEqual({
      name: BITNAMI_POSTGRESQL,
      version,
      appVersion: data.serverVersion,
    });
  });

  test("the pinned tags are the version's own, the images bitnami's originals moved to bitnamilegacy", () => {
    for (const role of Object.values(BitnamiImageRole)) {
      const own = lookup(values, BITNAMI_IMAGE_KEYS[role]).value as Yaml;
      const image = data.images[role];
      expect({ role, registry: own.registry, tag: own.tag }).toEqual({ role, registry: image.registry, tag: image.tag });
      expect(own.repository.replace(/^bitnami\//, `${BITNAMI_LEGACY_NAMESPACE}/`)).toBe(image.repository);
      expect(ORIGINAL_IMAGE_NAMES[role]).toContain(own.repository.replace(/^bitnami\//, ''));
      expect({ role, digestKey: 'digest' in own }).toEqual({ role, digestKey: data.digestKey });
    }
  });

  test('its bitnami/common: the version, and the image check it makes', () => {
    expect(common.version).toBe(data.commonVersion);
    const checks = /define "common\.errors\.insecureImages"/.test(commonTemplates);
    const warnsOnLegacy = checks && commonTemplates.includes(`docker.io/${BITNAMI_LEGACY_NAMESPACE}/`);
    expect(data.insecureImageCheck).toBe(
      warnsOnLegacy ? InsecureImageCheck.LEGACY_WARNS : checks ? InsecureImageCheck.ANY_MAY_FAIL : InsecureImageCheck.NONE,
    );
    if (checks) expect(templates).toMatch(/include "common\.errors\.insecureImages"/);
  });

  test(`the ${layout} layout's keys are in values.yaml, with the defaults helm-synth documents`, () => {
    const persistence = ['enabled', 'size', 'storageClass'].map((field) => `${keys.persistenceKey}.${field}`);
    const paths = [...valuesKeysOf(keys).filter((key) => key !== keys.persistenceKey), ...persistence];
    for (const path of paths) expect({ path, found: lookup(values, path).found }).toEqual({ path, found: true });
    for (const [path, value] of Object.entries(keys.fixedValues))
      expect({ path, value: lookup(values, path).value }).toEqual({ path, value });
    expect(lookup(values, keys.servicePortKey).value).toBe(POSTGRES_DEFAULT_PORT);
    expect(lookup(values, `${keys.persistenceKey}.size`).value).toBe(keys.defaultPersistenceSize);
    expect(lookup(values, `${keys.persistenceKey}.enabled`).value).toBe(true);
    expect(lookup(values, keys.usernameKey).value).toBe(keys.usernameDefault ?? '');
  });

  test("the Secret keys are the ones the chart's Secret writes", () => {
    const secret = readFileSync(join(dir, 'templates', 'secrets.yaml'), 'utf8');
    for (const { secretKey } of [keys.superuserPassword, keys.userPassword]) {
      expect({ secretKey, written: new RegExp(`^\\s+${secretKey}: `, 'm').test(secret) }).toEqual({ secretKey, written: true });
    }
    if (layout === BitnamiLayout.AUTH) {
      expect(lookup(values, 'auth.secretKeys.adminPasswordKey').value).toBe(keys.superuserPassword.secretKey);
      expect(lookup(values, 'auth.secretKeys.userPasswordKey').value).toBe(keys.userPassword.secretKey);
    }
  });

  test("bitnami's own security contexts run as the user helm-synth keeps; the restricted ones keep it", () => {
    for (const { valuesKey, kind } of keys.securityContexts) {
      const own = lookup(values, valuesKey).value as Yaml;
      expect({ valuesKey, switchable: typeof own.enabled }).toEqual({ valuesKey, switchable: 'boolean' });
      const field = kind === 'pod' ? 'fsGroup' : 'runAsUser';
      expect({ valuesKey, [field]: own[field] }).toEqual({ valuesKey, [field]: BITNAMI_USER });
      expect(BITNAMI_RESTRICTED_SECURITY_CONTEXTS[kind][field]).toBe(BITNAMI_USER);
    }
  });
});
