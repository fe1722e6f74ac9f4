import { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { JsonValue, Template, Values, ValuesTree } from 'helm-synth';
import { blockName } from './block-name';
import { imageValues } from './image-values';

/** Standard cron: five fields of digits, `*`, `/`, `,` and `-`, or a macro such as `@daily`. */
const CRON_SCHEDULE = '^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|([\\d*/,-]+ ){4}[\\d*/,-]+)$';

/** Defaults of one CronTask values block; each mount of the block can have its own. */
export interface CronTaskValuesProps {
  /** One sentence on what the task does: the comment above its block in values.yaml and its README row. */
  readonly description: string;
  /** Default of `image.repository`. */
  readonly imageRepository: string;
  /** Default of `image.tag`. */
  readonly imageTag: string;
  /** Default of `schedule` (cron syntax, in the cluster's time zone). @default '0 3 * * *' */
  readonly schedule?: string;
  /** Default of `resources`. @default { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } } */
  readonly resources?: { readonly [key: string]: JsonValue };
}

/** The declared values of one mounted CronTask block (`chart.values.define({ cleanup: CronTask.values(...) }).cleanup`). */
export type CronTaskValues = ValuesTree<ReturnType<typeof CronTask.values>>;

/** What a CronTask runs; when, and with which image, is in its values block. */
export interface CronTaskProps {
  /**
   * Its values block, as mounted on the chart: `chart.values.define({ cleanup: CronTask.values({...}) }).cleanup`.
   * The block's key names the CronJob (`<release>-<chart>-cleanup`).
   */
  readonly values: CronTaskValues;
  /** The container's command. */
  readonly command: readonly string[];
  /** User and group the pod runs as. @default 65532 */
  readonly runAsUser?: number;
}

/**
 * A command run on a schedule: a CronJob that never runs two at once. It brings its own values
 * block (`CronTask.values()`: schedule, suspension, image, resources), which a chart mounts under a key.
 */
export class CronTask extends Construct {
  /** The values block of one CronTask. */
  public static values(props: CronTaskValuesProps) {
    return Values.group(props.description, {
      schedule: Values.string({
        description: 'When the task runs (cron syntax).',
        default: props.schedule ?? '0 3 * * *',
        pattern: CRON_SCHEDULE,
      }),
      suspend: Values.boolean({ description: 'Stop scheduling new runs.', default: false }),
      image: imageValues(props.imageRepository, props.imageTag),
      resources: Values.object({
        description: 'Requests and limits of the container.',
        default: props.resources ?? { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
      }),
    });
  }

  /** The CronJob. */
  public readonly cronJob: kplus.CronJob;

  constructor(scope: Construct, id: string, props: CronTaskProps) {
    super(scope, id);
    const v = props.values;
    const name = blockName(this, v.schedule);
    const user = props.runAsUser ?? 65532;
    this.cronJob = new kplus.CronJob(this, 'CronJob', {
      schedule: Cron.daily(),
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      suspend: v.suspend.asBoolean(),
      securityContext: { user, group: user },
      containers: [
        {
          name,
          image: `${v.image.repository}:${v.image.tag}`,
          imagePullPolicy: v.image.pullPolicy.asString() as kplus.ImagePullPolicy,
          command: [...props.command],
        },
      ],
    });
    Template.of(this.cronJob)
      .nameSuffix(name)
      .set('spec.schedule', v.schedule.asString())
      .set('spec.jobTemplate.spec.template.spec.containers[0].resources', v.resources.asObject());
  }
}
