import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunDetails } from 'fast-check';

/**
 * The fast-check reporter of the generated-program property tests: on a failure it writes the
 * program to a temp file and throws with how to rerun it alone (`envVar`) or replay its seed.
 */
export function failingProgramReporter<T>(seed: number, fileLabel: string, envVar: string): (details: RunDetails<[T]>) => void {
  return (details) => {
    if (!details.failed) return;
    const file = join(tmpdir(), `helm-synth-${fileLabel}-${seed}.json`);
    writeFileSync(file, JSON.stringify(details.counterexample?.[0]));
    throw new Error(
      `program written to ${file}; run it alone with ${envVar}="$(cat ${file})"\n` +
        `seed ${seed}; reproduce with HELM_SYNTH_PROPERTY_SEED=${seed} (HELM_SYNTH_PROPERTY_SHRINK=1 to shrink)\n` +
        `counterexample: ${JSON.stringify(details.counterexample)}\n${String(details.errorInstance)}`,
    );
  };
}
