import { App } from 'cdk8s';
import { HooksDemoChart } from './hooks-demo';
import { decapodDb } from './decapod-db';
import { TksContractChart } from './tks-contract';
import { WebAppChart } from './web-app';

/** Adds every chart of this repository to an app; `main.ts` synthesizes it, tests render it. */
export function buildApp<T extends App>(app: T): T {
  new WebAppChart(app, 'web-app');
  new HooksDemoChart(app, 'hooks-demo');
  const database = decapodDb(app);
  new TksContractChart(app, 'tks-contract', { externalDatabase: database.externalConnection });
  new TksContractChart(app, 'tks-contract-with-db', { bundledDatabase: { chartVersion: '17.1.0' } });
  return app;
}
