import { Construct } from 'constructs';
import { HelmSynthError } from '../errors';
import { HookJob, HookJobBaseProps } from './hook-job';
import { HookEvent } from './hook-types';

/** Settings of a PreInstallJob: those of a HookJob without the events. */
export type PreInstallJobProps = HookJobBaseProps;

const PRE_INSTALL_JOB_BRAND = Symbol.for('helm-synth.PreInstallJob');

/**
 * A HookJob that runs at `pre-install` only: before any normal resource of the release exists, and
 * never on upgrade. Whatever it reads from the chart must be declared with `addDependency`.
 */
export class PreInstallJob extends HookJob {
  /** True for a PreInstallJob of any copy of the library (a brand check, not `instanceof`). */
  public static isPreInstallJob(x: unknown): x is PreInstallJob {
    return typeof x === 'object' && x !== null && PRE_INSTALL_JOB_BRAND in x;
  }

  constructor(scope: Construct, id: string, props: PreInstallJobProps) {
    if (props && 'events' in props) {
      throw new HelmSynthError(`${scope.node.path}/${id}`, 'PreInstallJob always runs at pre-install; use HookJob to choose the events');
    }
    super(scope, id, { ...props, events: [HookEvent.PRE_INSTALL] });
    Object.defineProperty(this, PRE_INSTALL_JOB_BRAND, { value: true });
  }
}
