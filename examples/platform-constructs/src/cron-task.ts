import { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HelmChart, Template } from 'helm-synth';
import { blockName } from './block-name';

/** Standard cron: five fields of digits, `*`, `/`, `,` and `-`, or a macro such as `@daily`. */
const CRON_SCHEDULE = '^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|([\\d*/,-]+ ){4}[\\d*/,-]+)$';

/** Defaults of a CronTask's values block; every one of them can be changed at install. */
export interface CronTaskProps {
  /**
   * Key of the task's values block in the chart's values.yaml (`cleanup` → `cleanup.schedule`), and
   * the suffix of its CronJob's name (`<release>-<chart>-cleanup`).
   */
  readonly valuesKey: string;
  /** One sentence on what the task does, shown above its values block in values.yaml and the README. */
  readonly description: string;
  /** Default of `<key>.image.repository`. */
  readonly imageRepository: string;
  /** Default of `<key>.image.tag`. */
  readonly imageTag: string;
  /** The container's command. */
  readonly command: readonly string[];
  /** Default of `<key>.schedule` (cron syntax, in the cluster's time zone). @default '0 3 * * *' */
  readonly schedule?: string;
  /** User and group the pod runs as. @default 65532 */
  readonly runAsUser?: number;
  /** Default of `<key>.resources`. @default { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } } */
  readonly resources?: { readonly [key: string]: unknown };
}

/**
 * A command run on a schedule: a CronJob that never runs two at once, with its schedule, image,
 * suspension and resources in a values block of its own under `props.valuesKey`.
 */
export class CronTask extends Construct {
  /** The CronJob. */
  public readonly cronJob: kplus.CronJob;

  constructor(scope: Construct, id: string, props: CronTaskProps) {
    super(scope, id);
    const key = props.valuesKey;
    const name = blockName(this, key);
    const v = HelmChart.helmChartOf(this).values;
    v.describe(key, props.description);
    const schedule = v.string(`${key}.schedule`, {
      default: props.schedule ?? '0 3 * * *',
      pattern: CRON_SCHEDULE,
      description: 'When the task runs (cron syntax).',
    });
    const suspend = v.boolean(`${key}.suspend`, { default: false, description: 'Stop scheduling new runs.' });
    v.describe(`${key}.image`, 'Container image.');
    const repository = v.string(`${key}.image.repository`, { default: props.imageRepository, description: 'Image repository.' });
    const tag = v.string(`${key}.image.tag`, { default: props.imageTag, description: 'Image tag.', pattern: '^[\\w][\\w.-]{0,127}$' });
    const pullPolicy = v.enum(`${key}.image.pullPolicy`, {
      values: ['Always', 'IfNotPresent', 'Never'],
      default: 'IfNotPresent',
      description: 'When the kubelet pulls the image.',
    });
    const resources = v.object(`${key}.resources`, {
      default: (props.resources ?? { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } }) as never,
      description: 'Requests and limits of the container.',
    });

    const user = props.runAsUser ?? 65532;
    this.cronJob = new kplus.CronJob(this, 'CronJob', {
      schedule: Cron.daily(),
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      suspend: suspend.asBoolean(),
      securityContext: { user, group: user },
      containers: [
        {
          name,
          image: `${repository}:${tag}`,
          imagePullPolicy: pullPolicy.asString() as kplus.ImagePullPolicy,
          command: [...props.command],
        },
      ],
    });
    Template.of(this.cronJob)
      .nameSuffix(name)
      .set('spec.schedule', schedule.asString())
      .set('spec.jobTemplate.spec.template.spec.containers[0].resources', resources.asObject());
  }
}
