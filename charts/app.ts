import { HelmApp } from '../src';
import { WebAppChart } from './web-app';

/** Adds every chart of this repository to an app; `main.ts` synthesizes it, tests render it. */
export function buildApp(app: HelmApp = new HelmApp()): HelmApp {
  new WebAppChart(app, 'web-app');
  return app;
}
