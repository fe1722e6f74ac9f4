import { HelmChart, Values } from '../../src';
import { WebService } from '../support/web-service';

/** A chart's values as a tree: two mounts of WebService's block and values of the chart's own (type tests compile against it). */
export function shopValues(chart: HelmChart) {
  return chart.values.define({
    frontend: WebService.values(),
    backend: WebService.values({ port: 9090 }),
    owner: Values.string({ description: 'Team that owns it.', required: true }),
    database: Values.group('The database.', {
      password: Values.secret({ description: 'Password.', required: true }),
      existingSecret: Values.string({ description: 'A Secret holding it.', default: '' }),
    }),
    api: {
      token: Values.secret({ description: 'API token.', requiredUnless: 'existingSecret' }),
      existingSecret: Values.string({ description: 'A Secret holding it.', default: '' }),
    },
    tier: Values.enum({ description: 'Tier.', values: ['gold', 'silver'], default: 'silver' }),
    hosts: Values.list({ description: 'Hosts.', default: ['shop.example.com'], items: { type: 'string' } }),
    extra: Values.list({ description: 'Anything.', default: [{ a: 1 }] }),
    weights: Values.object({ description: 'Weights.', default: { a: 0.5 }, entries: { type: 'number' } }),
    flags: {
      debug: Values.boolean({ description: 'Debug.', default: false }),
      rate: Values.number({ description: 'Rate.', default: 1.5 }),
    },
  });
}
