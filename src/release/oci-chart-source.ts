import { HelmSynthError } from '../errors';
import { ChartSource, ResolvedChart } from './chart-repository';
import { VersionRange } from './version-range';

/**
 * `oci://` dependency repositories. This build has no OCI registry client: every use fails with
 * one line that says so and how to go on (a mirror to an HTTP chart repository).
 */
export class OciChartSource implements ChartSource {
  public async resolve(repository: string, name: string, _range: VersionRange): Promise<ResolvedChart | undefined> {
    throw unavailable(repository, name);
  }

  public async fetch(chart: ResolvedChart): Promise<Buffer> {
    throw unavailable(chart.repository, chart.name);
  }
}

function unavailable(repository: string, name: string): HelmSynthError {
  return new HelmSynthError(
    `${repository}/${name}`,
    'oci:// dependencies: not available in this build; map the registry to an HTTP chart repository ' +
      '(cdk8s.yaml dependencies.repositoryMirrors, or HELM_SYNTH_REPOSITORY_MIRRORS)',
  );
}
