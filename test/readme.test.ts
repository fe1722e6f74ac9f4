import { join } from 'node:path';
import * as ts from 'typescript';
import { readmeSnippets } from './support/readme';

const ROOT = join(__dirname, '..');

/**
 * Every TypeScript snippet of README.md compiles as a file of its own, against helm-synth's sources
 * (each entry point, `helm-synth`, `helm-synth/postgres`, `helm-synth/release`, `helm-synth/testing`, mapped to src/) and the peers this repository installs.
 * The end-to-end test (`npm run e2e`) compiles and runs them against the packed package.
 */
describe('README.md TypeScript snippets', () => {
  const snippets = readmeSnippets();

  test('there are snippets, each a complete file that imports what it uses from helm-synth', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
    for (const snippet of snippets)
      expect({ line: snippet.line, imports: /from 'helm-synth(\/(postgres|release|testing))?';/.test(snippet.code) }).toEqual({
        line: snippet.line,
        imports: true,
      });
  });

  test('each type-checks (strict)', () => {
    const files = new Map(snippets.map((s) => [join(ROOT, 'readme-snippets', `${s.name}.ts`), s.code]));
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2021,
      lib: ['lib.es2021.d.ts'],
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node', 'jest'],
      paths: {
        'helm-synth': [join(ROOT, 'src', 'index.ts')],
        'helm-synth/postgres': [join(ROOT, 'src', 'postgres', 'index.ts')],
        'helm-synth/release': [join(ROOT, 'src', 'release', 'index.ts')],
        'helm-synth/testing': [join(ROOT, 'src', 'testing', 'index.ts')],
      },
    };
    const host = ts.createCompilerHost(options);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
    host.readFile = (file) => files.get(file) ?? readFile.call(host, file);
    host.getSourceFile = (file, language, onError, create) =>
      files.has(file) ? ts.createSourceFile(file, files.get(file)!, language) : getSourceFile.call(host, file, language, onError, create);
    const program = ts.createProgram([...files.keys()], options, host);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${d.file.fileName.replace(`${ROOT}/`, '')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  });
});
