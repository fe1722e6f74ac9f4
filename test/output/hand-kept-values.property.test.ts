import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelmSynthError } from '../../src';
import { OutputChart, writeOutput } from '../../src/output/output-writer';
import { seededRandom, testSeeds } from '../support/seeded-random';
import { chart, cleanup, tempFolder } from './output-fixtures';

afterEach(cleanup);

const ENVIRONMENTS = ['prod', 'staging'] as const;

/**
 * Generated runs of synth and of people editing a chart folder: synths with and without
 * environment files (`values-<env>.yaml`), the chart dropped and back, people writing such a file
 * (sometimes with the very content helm-synth would write) or editing one helm-synth wrote. Whatever
 * the order, a values file that is not exactly what helm-synth last recorded is never overwritten
 * or deleted: the run fails naming it, and nothing else is changed either.
 */
describe('values-<env>.yaml written by people survive any sequence of synths', () => {
  test.each(testSeeds(21, 22, 23))('seed %i', (seed) => {
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const out = join(tempFolder(), 'dist');
    const path = (env: string) => join(out, 'web', `values-${env}.yaml`);
    /** Content people own: written or edited by hand, not since replaced by helm-synth. */
    const people = new Map<string, string>();
    let refused = 0;
    let written = 0;
    for (let step = 0; step < 40; step++) {
      const action = pick(['synth', 'synth', 'synth', 'write', 'edit', 'drop']);
      const env = pick(ENVIRONMENTS);
      if (action === 'write' && existsSync(join(out, 'web'))) {
        const content = pick(['replicaCount: 9\n', `# values of ${env} v1\nreplicaCount: 1\n`]);
        const same = existsSync(path(env)) && readFileSync(path(env), 'utf8') === content && !people.has(env);
        writeFileSync(path(env), content);
        if (!same) people.set(env, content);
        continue;
      }
      if (action === 'edit' && existsSync(path(env))) {
        const content = `${readFileSync(path(env), 'utf8')}# edited\n`;
        writeFileSync(path(env), content);
        people.set(env, content);
        continue;
      }
      const charts: OutputChart[] = [];
      if (action !== 'drop') {
        const base = chart('web', pick(['1', '2']));
        const files = new Map(base.files);
        for (const name of ENVIRONMENTS)
          if (random() < 0.6) files.set(`values-${name}.yaml`, `# values of ${name} v${pick(['1', '2'])}\nreplicaCount: 1\n`);
        charts.push({ name: 'web', files });
      }
      const before = ENVIRONMENTS.map((name) => (existsSync(path(name)) ? readFileSync(path(name), 'utf8') : undefined));
      try {
        writeOutput(out, charts, { projectDir: join(out, '..') });
        written++;
      } catch (error) {
        if (!HelmSynthError.isHelmSynthError(error)) throw error;
        refused++;
        expect({ seed, step, message: error.message }).toEqual({ seed, step, message: expect.stringContaining('values-') });
        const after = ENVIRONMENTS.map((name) => (existsSync(path(name)) ? readFileSync(path(name), 'utf8') : undefined));
        expect({ seed, step, after }).toEqual({ seed, step, after: before });
        continue;
      }
      for (const name of ENVIRONMENTS) {
        if (people.has(name)) {
          expect({ seed, step, name, content: readFileSync(path(name), 'utf8') }).toEqual({ seed, step, name, content: people.get(name) });
        }
      }
      for (const name of [...people.keys()]) {
        rmSync(path(name), { force: true });
        people.delete(name);
      }
    }
    expect({ seed, refused: refused > 0, written: written > 0 }).toEqual({ seed, refused: true, written: true });
  });
});
