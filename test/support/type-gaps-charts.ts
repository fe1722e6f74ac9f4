import { HelmApp, HelmChart, Values } from '../../src';

/** A tree with a value of each kind an override treats apart: defaults, a required one, a map, a list, a group, a secret. */
export const ORDERS_SHAPE = {
  replicaCount: Values.integer({ default: 1, minimum: 0, description: 'Replicas.' }),
  owner: Values.string({ required: true, description: 'Team that owns it (given at install).' }),
  labels: Values.object({ default: { team: 'a', tier: 'web' }, entries: { type: 'string' }, description: 'Labels.' }),
  hosts: Values.list({ default: ['a.example.com'], items: { type: 'string' }, description: 'Hosts.' }),
  image: { tag: Values.string({ default: '1.0.0', description: 'Image tag.' }) },
  database: { password: Values.secret({ required: true, description: 'Database password.' }) },
};

/** A typed chart `orders` and a typed umbrella `shop` holding it under the alias `orders` and an untyped chart (values declared by path) under `legacy`. */
export function typeGapCharts(app: HelmApp) {
  const plain = new HelmChart(app, 'orders', { version: '1.0.0' });
  const orders = plain.typed(plain.values.define(ORDERS_SHAPE));
  const parent = new HelmChart(app, 'shop', { version: '1.0.0' });
  const typedParent = parent.typed(parent.values.define({ debug: Values.boolean({ default: false, description: 'Debug mode.' }) }));
  const untyped = new HelmChart(app, 'legacy', { version: '1.0.0' });
  untyped.values.integer('replicaCount', { default: 1, description: 'Replicas.' });
  const shop = typedParent
    .addChartDependency(orders, { replicaCount: 2 }, { alias: 'orders' })
    .addChartDependency(untyped, {}, { alias: 'legacy' });
  return { orders, shop };
}
