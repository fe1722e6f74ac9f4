import { Construct } from 'constructs';
import { HelmChart, ValuesOf } from 'helm-synth';
import { CronTask, WebService } from '@acme/platform-constructs';

/** The reports chart's values: a WebService block and a CronTask block. */
function reportsValues() {
  return {
    api: WebService.values({
      description: 'The reports API.',
      imageRepository: 'hashicorp/http-echo',
      imageTag: '1.0',
      replicas: 1,
      maxReplicas: 3,
    }),
    nightly: CronTask.values({
      description: 'Builds the previous day’s reports.',
      imageRepository: 'busybox',
      imageTag: '1.36',
      schedule: '15 1 * * *',
    }),
  };
}

/** What a values file for the reports chart may hold. */
export type ReportsValues = ValuesOf<ReturnType<typeof reportsValues>>;

/** Reports: an API serving them (a WebService) and the nightly job that builds them (a CronTask). */
export class ReportsChart extends HelmChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { version: '0.3.0', appVersion: '0.9.0', description: 'Sales reports: the API and the nightly build.' });
    const v = this.values.define(reportsValues());

    new WebService(this, 'Api', { values: v.api, args: ['-listen=:8080', '-text=reports'] });
    new CronTask(this, 'Nightly', { values: v.nightly, command: ['sh', '-c', 'echo building reports'] });
  }
}
