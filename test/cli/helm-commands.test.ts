import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../charts/app';
import { HelmChart } from '../../src';
import { projectFiles } from '../../src/cli/init-templates';
import { readPackageInfo } from '../../src/cli/package-info';
import { Testing } from '../../src/testing';

const ROOT = join(__dirname, '..', '..');

/** Subcommands Helm 3 (3.8+) and Helm 4 both have. */
const SUBCOMMANDS = new Set(
  'completion create dependency env get history install lint list package plugin pull push registry repo rollback search show status template test uninstall upgrade verify version'.split(
    ' ',
  ),
);
/** Flags of the commands we print that Helm 3 and Helm 4 both read the same way. */
const FLAGS = new Set(
  '--install -i --namespace -n --create-namespace -f --values --set --set-string --version --wait --timeout --dry-run --debug --is-upgrade --show-only --kube-version --strict --logs --keyring --verify --sign --key'.split(
    ' ',
  ),
);
/** Helm 3 flags Helm 4 renamed (kept there only as deprecated aliases), and the Helm 4 names Helm 3 does not know. */
const RENAMED: Record<string, string> = { '--atomic': '--rollback-on-failure', '--force': '--force-replace' };

/** Every text helm-synth prints or writes for users: chart READMEs and NOTES, init's project, the README, and src/ messages. */
function printedTexts(): Array<[string, string]> {
  const texts: Array<[string, string]> = [];
  const app = buildApp(Testing.app());
  for (const chart of app.node.children.filter((c): c is HelmChart => HelmChart.isHelmChart(c))) {
    const files = Testing.synth(chart).files;
    for (const path of ['README.md', 'templates/NOTES.txt'])
      if (files.has(path)) texts.push([`${chart.chartName}/${path}`, files.get(path)!]);
  }
  for (const [path, text] of projectFiles('demo', readPackageInfo(), '^0.1.0')) texts.push([`init: ${path}`, text]);
  texts.push(['README.md', readFileSync(join(ROOT, 'README.md'), 'utf8')]);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) texts.push([path.slice(ROOT.length + 1), readFileSync(path, 'utf8')]);
    }
  };
  walk(join(ROOT, 'src'));
  return texts;
}

describe('every helm command helm-synth prints works under Helm 3 and Helm 4', () => {
  const texts = printedTexts();

  test('helm subcommands and flags are ones both versions read', () => {
    const problems: string[] = [];
    let commands = 0;
    for (const [where, text] of texts) {
      for (const line of text.split('\n')) {
        for (const match of line.matchAll(/(?<![\w-])helm ([a-z]+)((?: +(?:[^\s`'"|;)(]+))*)/g)) {
          const [, sub, rest] = match;
          if (!SUBCOMMANDS.has(sub)) continue;
          commands++;
          for (const flag of rest.match(/(?<=\s)--?[a-z][a-z-]*/g) ?? []) {
            if (FLAGS.has(flag)) continue;
            const pair = RENAMED[flag] ?? Object.keys(RENAMED).find((old) => RENAMED[old] === flag);
            if (pair && line.includes(pair)) continue;
            problems.push(`${where}: helm ${sub} ${flag}${pair ? ` (name ${pair} too)` : ''}: ${line.trim()}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(commands).toBeGreaterThan(10);
  });

  test('flags Helm 4 renamed are never named without their other name', () => {
    const problems: string[] = [];
    for (const [where, text] of texts) {
      if (where.endsWith('helm-commands.test.ts')) continue;
      for (const line of text.split('\n')) {
        for (const [old, renamed] of Object.entries(RENAMED)) {
          const helmLine = old === '--atomic' || /(?<![\w-])helm (install|upgrade|rollback)\b/.test(line);
          const names = new RegExp(`${old}(?![a-z-])`).test(line) || line.includes(renamed);
          if (helmLine && names && !(line.includes(renamed) && new RegExp(`${old}(?![a-z-])`).test(line)))
            problems.push(`${where}: ${line.trim()}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
