import { OutputReport } from '../output/output-writer';
import { ChartFiles } from './chart-files';

/** A warning of one chart: something worth knowing that is not an error. */
export interface SynthWarning {
  /** The chart's name. */
  readonly chart: string;
  /** The construct the warning is about. */
  readonly constructPath: string;
  /** What is worth knowing. */
  readonly message: string;
}

/** What one `HelmApp.synth()` did. */
export interface SynthResult {
  /** The folder the chart directories were written to (or would have been, in memory). */
  readonly outdir: string;
  /** Every chart synthesized, in construct order. */
  readonly charts: readonly ChartFiles[];
  /**
   * What writing did: per chart the files written, unchanged and removed (`dryRun`: would be), and
   * the charts the app no longer has. Undefined when the app synthesized in memory only.
   */
  readonly output?: OutputReport;
  /** Every chart's warnings, in chart order (the CLI prints them). */
  readonly warnings: readonly SynthWarning[];
  /** One line per repair of an interrupted earlier run's leftovers (also printed to stderr). */
  readonly recovered: readonly string[];
}
