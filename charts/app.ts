import { App } from 'cdk8s';
import { HooksDemoChart } from './hooks-demo';
import { WebAppChart } from './web-app';

/** Adds every chart of this repository to an app; `main.ts` synthesizes it, tests render it. */
export function buildApp<T extends App>(app: T): T {
  new WebAppChart(app, 'web-app');
  new HooksDemoChart(app, 'hooks-demo');
  return app;
}
