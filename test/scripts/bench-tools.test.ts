import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '..', '..');
const BENCH_TOOLS = pathToFileURL(join(ROOT, 'scripts', 'bench-tools.mjs')).href;

/**
 * Runs every tool of `npm run bench` once on the example app, started from a folder laid out like a
 * developer's checkout: a cdk8s.yaml whose output is dist/, and a file kept in dist/.
 */
function runBenchToolsFrom(project: string, work: string) {
  const script = `
    import { spawnSync } from 'node:child_process';
    import { benchTools } from ${JSON.stringify(BENCH_TOOLS)};
    const { tools } = benchTools(${JSON.stringify(work)});
    const runs = [['cdk8s synth', true], ['cdk8s synth', false], ['helm-synth', true], ['helm-synth', false], ['floor', false], ['re-synth', false]];
    const results = runs.map(([tool, noWrite]) => {
      const { env, argv, cwd } = tools[tool]({ app: 'example', noWrite });
      const r = spawnSync(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      return { tool, noWrite, status: r.status, stdout: r.stdout.length, stderr: r.stderr.slice(-2000) };
    });
    console.log(JSON.stringify(results));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Array<{ tool: string; noWrite: boolean; status: number; stdout: number; stderr: string }>;
}

describe('npm run bench', () => {
  test("every tool it runs writes only under its scratch folder: the project's dist/ and a file kept there survive", () => {
    const project = mkdtempSync(join(tmpdir(), 'helm-synth-bench-project-'));
    const work = mkdtempSync(join(tmpdir(), 'helm-synth-bench-work-'));
    try {
      writeFileSync(join(project, 'cdk8s.yaml'), 'language: typescript\napp: node lib/charts/main.js\noutput: dist\n');
      mkdirSync(join(project, 'dist'));
      writeFileSync(join(project, 'dist', 'kept-by-a-developer.txt'), 'mine\n');

      const results = runBenchToolsFrom(project, work);

      for (const r of results)
        expect({ tool: r.tool, status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ tool: r.tool, status: 0, stderr: '' });
      expect(results.find((r) => r.tool === 'cdk8s synth' && r.noWrite)!.stdout).toBeGreaterThan(1000);
      expect(readFileSync(join(project, 'dist', 'kept-by-a-developer.txt'), 'utf8')).toBe('mine\n');
      expect(readdirSync(project).sort()).toEqual(['cdk8s.yaml', 'dist']);
      expect(readdirSync(join(project, 'dist'))).toEqual(['kept-by-a-developer.txt']);
      expect(existsSync(join(work, 'cwd', 'cdk8s.yaml'))).toBe(true);
    } finally {
      rmSync(project, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('scripts start cdk8s and helm-synth only through bench-tools.mjs, which gives each an output folder of its own', () => {
    const scripts = readdirSync(join(ROOT, 'scripts')).filter((f) => f.endsWith('.mjs') && f !== 'bench-tools.mjs');
    for (const file of scripts) {
      const text = readFileSync(join(ROOT, 'scripts', file), 'utf8');
      expect({ file, startsCdk8s: /\.bin\/cdk8s|cli\/main\.js/.test(text) }).toEqual({ file, startsCdk8s: false });
    }
  });
});
