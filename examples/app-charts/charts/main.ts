import { HelmApp } from 'helm-synth';
import { ReportsChart } from './reports';
import { ShopChart } from './shop';

// npm run synth writes dist/shop/ and dist/reports/.
const app = new HelmApp();
new ShopChart(app, 'shop');
new ReportsChart(app, 'reports');
app.synth();
