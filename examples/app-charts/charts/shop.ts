import { Construct } from 'constructs';
import { HelmChart, Values, ValuesOf } from 'helm-synth';
import { WebService } from '@acme/platform-constructs';

/** The shop's values: one WebService block per service, each with its own defaults. */
function shopValues() {
  return {
    backend: WebService.values({ description: 'The shop API.', imageRepository: 'hashicorp/http-echo', imageTag: '1.0', replicas: 3 }),
    // A default WebService.values() has no parameter for: the shop's cluster routes with Traefik.
    frontend: Values.withDefaults(
      WebService.values({
        description: 'The web frontend, reachable from outside the cluster.',
        imageRepository: 'nginxinc/nginx-unprivileged',
        imageTag: '1.27.3-alpine',
        ingress: true,
        ingressHost: 'shop.example.com',
      }),
      { ingress: { className: 'traefik' } },
    ),
  };
}

/** What a values file for the shop chart may hold (`-f`, an environment's values, a HelmRelease). */
export type ShopValues = ValuesOf<ReturnType<typeof shopValues>>;

/** The shop: a frontend behind an Ingress and the backend it calls, both WebServices. */
export class ShopChart extends HelmChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { version: '1.4.0', appVersion: '2.3.1', description: 'The shop: web frontend and its API backend.' });
    const v = this.values.define(shopValues());

    const backend = new WebService(this, 'Backend', { values: v.backend, args: ['-listen=:8080', '-text={"items":[]}'] });
    new WebService(this, 'Frontend', {
      values: v.frontend,
      runAsUser: 101,
      env: { BACKEND_URL: `http://${this.resourceName(backend.service)}:${backend.port}` },
    });
  }
}
