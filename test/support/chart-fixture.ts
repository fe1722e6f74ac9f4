import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

/** A small chart written from test code: Chart.yaml fields, values, templates as objects or text, other files. */
export interface FixtureChart {
  readonly name: string;
  readonly version: string;
  /** Other Chart.yaml fields (appVersion, description, dependencies, ...). */
  readonly metadata?: Record<string, unknown>;
  /** values.yaml content. */
  readonly values?: Record<string, unknown>;
  /** Templates as Kubernetes objects, by file name under templates/ (written as YAML). */
  readonly objects?: Record<string, Record<string, unknown>>;
  /** Templates as text, by file name under templates/. */
  readonly templates?: Record<string, string>;
  /** Any other file, by path relative to the chart root. */
  readonly files?: Record<string, string | Buffer>;
}

/** A fresh temporary folder; remove it with `removeFolder`. */
export function tempFolder(prefix = 'helm-synth-release-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a folder made by `tempFolder`. */
export function removeFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}

/** Writes a fixture chart to `<parent>/<dir>` (default: its name); returns the chart directory. */
export function writeFixtureChart(parent: string, chart: FixtureChart, dir = chart.name): string {
  const root = join(parent, dir);
  rmSync(root, { recursive: true, force: true });
  const write = (path: string, content: string | Buffer): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  write('Chart.yaml', stringify({ apiVersion: 'v2', name: chart.name, version: chart.version, type: 'application', ...chart.metadata }));
  write('values.yaml', stringify(chart.values ?? {}));
  for (const [file, object] of Object.entries(chart.objects ?? {})) write(`templates/${file}`, stringify(object));
  for (const [file, text] of Object.entries(chart.templates ?? {})) write(`templates/${file}`, text);
  for (const [path, content] of Object.entries(chart.files ?? {})) write(path, content);
  return root;
}

/** A Deployment with the usual fields, for upgrade-check fixtures. */
export function deployment(
  name: string,
  overrides: { selector?: Record<string, string>; replicas?: number; image?: string } = {},
): Record<string, unknown> {
  const labels = overrides.selector ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: overrides.replicas ?? 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: overrides.image ?? 'nginx:1.27' }] } },
    },
  };
}
