import { HelmApp } from '../src';
import { WebAppChart } from './web-app';

const app = new HelmApp();
new WebAppChart(app, 'web-app');
app.synth();
