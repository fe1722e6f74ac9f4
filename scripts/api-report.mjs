// The API report of each entry point (etc/<entry>.api.md), written by api-extractor from the
// declarations `tsc` emits (without `@internal` members: tsconfig.build.json strips them). `npm run api`
// updates the reports; `npm run api:check` (run by .ci/run) fails when the public API differs from the
// committed report, so every API change shows in its pull request. Both fail on a public declaration
// without a doc comment (`ae-undocumented`).
//
// Both fail when a type reachable from a public signature is exported by no entry point. api-extractor
// checks one entry point at a time (`ae-forgotten-export`); a type that `helm-synth/postgres` names and
// `helm-synth` exports (HelmChart) is exported, so the check runs over the union of the entry points.
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import ts from 'typescript';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const check = process.argv.includes('--check');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entries = [
  { name: 'helm-synth', types: 'lib/src/index.d.ts' },
  { name: 'helm-synth-postgres', types: 'lib/src/postgres/index.d.ts' },
  { name: 'helm-synth-release', types: 'lib/src/release/index.d.ts' },
  { name: 'helm-synth-testing', types: 'lib/src/testing/index.d.ts' },
];

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--declarations'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

/** The names each entry point's declarations export. */
function exportedNames(typesFile) {
  const program = ts.createProgram([typesFile], { noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(typesFile));
  return new Set(checker.getExportsOfModule(symbol).map((s) => s.getName()));
}

let failed = false;
const forgotten = [];
const undocumented = [];
for (const entry of entries) {
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: join(root, entry.types),
      compiler: { tsconfigFilePath: join(root, 'tsconfig.build.json') },
      apiReport: {
        enabled: true,
        reportFileName: `${entry.name}.api.md`,
        reportFolder: join(root, 'etc'),
        reportTempFolder: join(root, 'lib', 'api'),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: {
          default: { logLevel: 'none', addToApiReportFile: true },
          'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
          'ae-forgotten-export': { logLevel: 'warning', addToApiReportFile: false },
          'ae-undocumented': { logLevel: 'warning', addToApiReportFile: false },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: join(root, 'api-extractor.json'),
    packageJsonFullPath: join(root, 'package.json'),
  });
  const result = Extractor.invoke(config, {
    localBuild: !check,
    showVerboseMessages: false,
    messageCallback: (message) => {
      if (message.logLevel === 'warning' && message.category === 'Compiler') message.logLevel = 'none';
      if (message.messageId === 'ae-forgotten-export') {
        const name = /The symbol "([^"]+)"/.exec(message.text)?.[1] ?? message.text;
        forgotten.push({ entry: entry.name, name, where: `${message.sourceFilePath}:${message.sourceFileLine}` });
        message.logLevel = 'none';
        message.handled = true;
      }
      if (message.messageId === 'ae-undocumented') {
        undocumented.push(`${entry.name}: ${message.sourceFilePath}:${message.sourceFileLine}: ${message.text}`);
        message.logLevel = 'none';
        message.handled = true;
      }
    },
  });
  if (check && result.apiReportChanged) {
    console.error(
      `etc/${entry.name}.api.md: the public API of ${entry.types} changed; run npm run api and commit the report (and a CHANGELOG.md entry)`,
    );
    failed = true;
  } else if (!result.succeeded) {
    console.error(`api-extractor failed for ${entry.types}: ${result.errorCount} error(s)`);
    failed = true;
  } else {
    console.log(`etc/${entry.name}.api.md: ${result.apiReportChanged ? 'updated' : 'unchanged'}`);
  }
}
/**
 * The published declarations as a user compiles them (strict, declarations of dependencies checked):
 * every entry point loads, and what is internal is refused by the types.
 */
function checkAsUser() {
  const file = join(root, 'lib', 'api', 'as-user.ts');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    [
      "import { Condition, Hook, StringValue, Token, TokenUse, Values } from '../src/index';",
      "import * as postgres from '../src/postgres/index';",
      "import * as release from '../src/release/index';",
      "import * as testing from '../src/testing/index';",
      'export const entryPoints = [postgres, release, testing];',
      '// @ts-expect-error tokens come from values, Release and names, never from template text',
      "export const token = new Token({ use: TokenUse.STRING, description: 'x', operand: '.Values.x' });",
      '// @ts-expect-error values come from chart.values',
      'export const value = new StringValue({} as never);',
      '// @ts-expect-error a chart makes its values (chart.values)',
      'export const values = new Values({} as never);',
      '// @ts-expect-error what only synthesis reads is not published',
      'export const internal = (c: Condition, h: Hook) => [c.preview(), c.implies(c), c.owners, h.ownedOnly, Hook.forObject];',
      '',
    ].join('\n'),
  );
  const program = ts.createProgram([file], {
    noEmit: true,
    strict: true,
    skipLibCheck: false,
    types: ['node'],
    module: ts.ModuleKind.CommonJS,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

for (const problem of checkAsUser()) {
  console.error(`the published declarations, compiled as a user does: ${problem}`);
  failed = true;
}
for (const problem of undocumented) {
  console.error(`${problem} (every public declaration has a doc comment)`);
  failed = true;
}
const exported = new Set(entries.flatMap((entry) => [...exportedNames(join(root, entry.types))]));
for (const { entry, name, where } of forgotten.filter((f) => !exported.has(f.name))) {
  console.error(`${entry}: ${name} is reachable from a public signature (${where}) but no entry point exports it`);
  failed = true;
}
process.exit(failed ? 1 : 0);
