import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HelmChart, Template } from '../src';

/** A generated chart of 20 objects: 4 Deployments with Services, 4 ConfigMaps, 4 Secrets, 4 Jobs. */
class GeneratedChart extends HelmChart {
  constructor(scope: Construct, id: string, defaultTag: string) {
    super(scope, id, { version: '1.0.0', description: `Generated chart ${id}.` });
    const tag = this.values.string('image.tag', { default: defaultTag, description: 'Image tag.' });
    const replicas = this.values.integer('replicaCount', { default: 1, minimum: 0, description: 'Replicas.' });
    const resources = this.values.object('resources', { default: {}, description: 'Resources.' });
    for (let i = 0; i < 4; i++) {
      const config = new kplus.ConfigMap(this, `Config${i}`, { data: { 'app.properties': `index=${i}\nname=${id}\n` } });
      const secret = new kplus.Secret(this, `Secret${i}`, { stringData: { token: `token-${i}` } });
      const deployment = new kplus.Deployment(this, `Server${i}`, {
        replicas: replicas.asNumber(),
        containers: [
          {
            image: `registry.example.com/app-${i}:${tag}`,
            portNumber: 8080,
            envVariables: { TOKEN: kplus.EnvValue.fromSecretValue({ secret, key: 'token' }) },
          },
        ],
      });
      deployment.containers[0].mount('/config', kplus.Volume.fromConfigMap(this, `ConfigVolume${i}`, config));
      Template.of(deployment).set('spec.template.spec.containers[0].resources', resources.asObject());
      deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
      new kplus.Job(this, `Migrate${i}`, {
        containers: [{ image: `registry.example.com/migrate:${tag}`, command: ['migrate', `--step=${i}`] }],
      });
    }
  }
}

/**
 * Adds the generated app's charts to an app: `generated-000` ... (100 by default). `first` starts
 * the numbering elsewhere and `tag` changes the image tag default (tests use them to make a second
 * version of the app).
 */
export function buildGeneratedApp(app: App, charts = 100, options: { readonly first?: number; readonly tag?: string } = {}): App {
  const first = options.first ?? 0;
  for (let i = first; i < first + charts; i++) new GeneratedChart(app, `generated-${String(i).padStart(3, '0')}`, options.tag ?? '1.0.0');
  return app;
}
