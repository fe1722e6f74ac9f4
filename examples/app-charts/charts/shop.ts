import { Construct } from 'constructs';
import { HelmChart } from 'helm-synth';
import { WebService } from '@acme/platform-constructs';

/** The shop: a frontend behind an Ingress and the backend it calls, both WebServices, each with its own values block. */
export class ShopChart extends HelmChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { version: '1.4.0', appVersion: '2.3.1', description: 'The shop: web frontend and its API backend.' });

    const backend = new WebService(this, 'Backend', {
      valuesKey: 'backend',
      description: 'The shop API.',
      imageRepository: 'hashicorp/http-echo',
      imageTag: '1.0',
      args: ['-listen=:8080', '-text={"items":[]}'],
      replicas: 3,
    });
    new WebService(this, 'Frontend', {
      valuesKey: 'frontend',
      description: 'The web frontend, reachable from outside the cluster.',
      imageRepository: 'nginxinc/nginx-unprivileged',
      imageTag: '1.27.3-alpine',
      runAsUser: 101,
      ingress: true,
      ingressHost: 'shop.example.com',
      env: { BACKEND_URL: `http://${this.resourceName(backend.service)}:${backend.port}` },
    });
  }
}
