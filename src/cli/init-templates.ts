import { PackageInfo } from './package-info';

/** The dev tools a new project is given, with the versions helm-synth is tested with. */
const DEV_TOOLS = ['@types/jest', '@types/node', 'jest', 'typescript'] as const;

/**
 * Every file of a new project, by path, for `helm-synth init`.
 *
 * @param helmSynthSpec the project's dependency on helm-synth (`^0.1.0`, `file:../helm-synth-0.1.0.tgz`)
 */
export function projectFiles(name: string, info: PackageInfo, helmSynthSpec: string): ReadonlyMap<string, string> {
  const devDependencies = Object.fromEntries(DEV_TOOLS.map((tool) => [tool, toolRange(tool, info.devDependencies[tool])]));
  const packageJson = {
    name,
    version: '0.1.0',
    private: true,
    description: 'Helm charts written in TypeScript with helm-synth',
    scripts: {
      synth: 'helm-synth synth',
      'dependency-build': 'helm-synth dependency build',
      plan: 'helm-synth plan',
      test: 'jest',
      typecheck: 'tsc --noEmit',
      'check-upgrade': 'helm-synth check-upgrade --baseline chart-repository',
      package: 'helm-synth package --merge',
      verify: 'helm-synth verify',
      push: 'helm-synth push',
    },
    dependencies: { 'helm-synth': helmSynthSpec, ...sorted(info.peerDependencies) },
    devDependencies,
    jest: {
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      transform: { '^.+\\.ts$': 'helm-synth/jest-transform' },
    },
  };
  return new Map([
    ['package.json', `${JSON.stringify(packageJson, null, 2)}\n`],
    ['tsconfig.json', TSCONFIG],
    ['cdk8s.yaml', CDK8S_YAML],
    ['charts/main.ts', MAIN_TS],
    ['charts/web.ts', WEB_TS],
    ['test/main.test.ts', TEST_TS],
    ['.gitignore', GITIGNORE],
    ['README.md', readme(name)],
  ]);
}

/** `^x.y.z` of the version helm-synth pins; TypeScript stays on its major (`~`: 6 and 7 change the compiler). */
function toolRange(tool: string, pinned: string | undefined): string {
  if (!pinned) throw new Error(`helm-synth's package.json has no devDependency ${tool}`);
  return tool === 'typescript' ? `~${pinned}` : `^${pinned}`;
}

function sorted(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2021",
    "lib": ["ES2021"],
    "module": "node16",
    "moduleResolution": "node16",
    "strict": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "noEmit": true,
    "types": ["node", "jest"]
  },
  "include": ["charts/**/*.ts", "test/**/*.ts"]
}
`;

const CDK8S_YAML = `# Read by helm-synth synth (npm run synth): the app, run directly from TypeScript, and the output folder.
language: typescript
app: charts/main.ts
output: dist
`;

/** An import line of a generated file (built here so that scans of this file's own imports do not read it as one). */
const importLine = (names: string, from: string): string => `import { ${names} } from '${from}';`;

const MAIN_TS = `import { HelmApp } from 'helm-synth';
${importLine('WebChart', './web')}

// The app: every chart added here is written to dist/<chart>/ by \`npm run synth\`.
const app = new HelmApp();
new WebChart(app, 'web');
app.synth();
`;

const WEB_TS = `import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HelmChart, HookEvent, HookJob, Release, StandardValues, Template } from 'helm-synth';

/** A web server behind a Service, and a Job that runs before every install and upgrade. */
export class WebChart extends HelmChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { version: '0.1.0', appVersion: '1.27.3', description: 'A web server.' });

    // Typed values: values.yaml, values.schema.json and the chart README come from these.
    const v = this.values;
    const repository = v.string('image.repository', { default: 'nginxinc/nginx-unprivileged', description: 'Image repository.' });
    const tag = v.string('image.tag', { default: '1.27.3-alpine', description: 'Image tag.' });
    const port = v.integer('service.port', { default: 80, minimum: 1, maximum: 65535, description: 'Port the Service listens on.' });

    // helm create's values: replicaCount, serviceAccount.*, podAnnotations, securityContext, resources, ...
    const standard = StandardValues.for(this, {
      replicaCount: 2,
      podSecurityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, seccompProfile: { type: 'RuntimeDefault' } },
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    });

    const server = new kplus.Deployment(this, 'Server', {
      containers: [{ name: 'nginx', image: \`\${repository}:\${tag}\`, portNumber: 8080 }],
    });
    server.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp'));
    Template.of(server).nameSuffix('');            // named <release>-<chart>, not <release>-<chart>-server
    standard.applyTo(server);

    const service = server.exposeViaService({ ports: [{ port: port.asNumber(), targetPort: 8080, name: 'http' }] });
    Template.of(service).nameSuffix('');

    // A Helm hook: runs (and must succeed) before the release's objects are installed or upgraded.
    new HookJob(this, 'Migrate', {
      events: [HookEvent.PRE_INSTALL, HookEvent.PRE_UPGRADE],
      image: 'busybox:1.36',
      env: { RELEASE: Release.name },
      script: 'echo "preparing release $RELEASE"',
    });
  }
}
`;

const TEST_TS = `import { expectChartSnapshot, Testing } from 'helm-synth/testing';
${importLine('WebChart', '../charts/web')}

test('every chart file, as a snapshot', () => {
  // One snapshot per file (test/__snapshots__): a pull request shows the chart's diff. \`npm test -- -u\` updates them.
  expectChartSnapshot(new WebChart(Testing.app(), 'web'));
});

test('values.yaml holds the image tag', () => {
  expect(Testing.file(new WebChart(Testing.app(), 'web'), 'values.yaml')).toContain('tag: 1.27.3-alpine');
});

// Renders with helm template (a helm on PATH, or HELM_BIN); skipped with a warning where there is none.
Testing.ifHelm(test)('renders with a release name and values', () => {
  const rendered = Testing.render(new WebChart(Testing.app(), 'web'), { releaseName: 'shop', values: { replicaCount: 3 } });
  expect(rendered.find('Deployment', 'shop-web').spec.replicas).toBe(3);
  expect(rendered.find('Job').metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
});
`;

const GITIGNORE = `node_modules/
# the synthesized charts; remove this line to commit them (for a GitOps repository)
dist/
*.tgz
`;

function readme(name: string): string {
  return `# ${name}

Helm charts written in TypeScript with [helm-synth](https://github.com/helm-synth/helm-synth).

\`\`\`sh
npm install        # helm-synth, cdk8s, cdk8s-plus-27, constructs, jest, typescript
npm run synth      # writes dist/<chart>/ for every chart of charts/main.ts
npm run dependency-build   # each chart's dependencies into dist/<chart>/charts/, and Chart.lock
npm test           # chart snapshots (test/__snapshots__) and a render under helm, if installed
npm run plan       # what Helm runs at install, upgrade, rollback, uninstall and test
npm run typecheck  # tsc --noEmit (synth and test do not type-check)
npm run check-upgrade  # what would break helm upgrade from the charts in chart-repository/
npm run package    # chart-repository/<chart>-<version>.tgz and index.yaml (a released version cannot change)
npm run verify     # each archive's .prov (signed by npm run package -- --sign --key FILE)
npm run push -- oci://registry.example.com/charts   # every chart's archive in chart-repository/, each digest printed
\`\`\`

In CI, run them in that order (\`SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)\` makes the dates in
Chart.lock and index.yaml those of the commit); the helm-synth README's "Releasing" section has the
whole job, signing and pushing to an OCI registry included.

\`charts/web.ts\` is the chart: values, helm create's standard values, a Deployment and Service from
cdk8s-plus-27, and a pre-install/pre-upgrade hook Job. Install a synthesized chart with
\`helm upgrade --install my-release dist/web -f my-values.yaml\`.
`;
}
