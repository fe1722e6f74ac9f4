import { Construct } from 'constructs';
import { HelmChart } from 'helm-synth';
import { CronTask, WebService } from '@acme/platform-constructs';

/** Reports: an API serving them (a WebService) and the nightly job that builds them (a CronTask). */
export class ReportsChart extends HelmChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { version: '0.3.0', appVersion: '0.9.0', description: 'Sales reports: the API and the nightly build.' });

    new WebService(this, 'Api', {
      valuesKey: 'api',
      description: 'The reports API.',
      imageRepository: 'hashicorp/http-echo',
      imageTag: '1.0',
      args: ['-listen=:8080', '-text=reports'],
      replicas: 1,
      maxReplicas: 3,
    });
    new CronTask(this, 'Nightly', {
      valuesKey: 'nightly',
      description: 'Builds the previous day’s reports.',
      imageRepository: 'busybox',
      imageTag: '1.36',
      command: ['sh', '-c', 'echo building reports'],
      schedule: '15 1 * * *',
    });
  }
}
