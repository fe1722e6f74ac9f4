import { dirname, join } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

/** One problem tsc reports: the file (relative to the repository) and line, and the message. */
export interface TypeProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * Type-checks in-memory TypeScript files (strict) in one program, `helm-synth` and
 * `helm-synth/testing` mapped to src/ and the peers this repository installs; returns every
 * problem tsc reports.
 */
export function typeCheck(files: ReadonlyMap<string, string>): TypeProblem[] {
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
    paths: { 'helm-synth': [join(ROOT, 'src', 'index.ts')], 'helm-synth/testing': [join(ROOT, 'src', 'testing', 'index.ts')] },
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  const folders = new Set([...files.keys()].map((file) => dirname(file)));
  host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
  host.directoryExists = (dir) => folders.has(dir) || (directoryExists?.call(host, dir) ?? true);
  host.readFile = (file) => files.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, onError, create) =>
    files.has(file) ? ts.createSourceFile(file, files.get(file)!, language) : getSourceFile.call(host, file, language, onError, create);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file ? d.file.fileName.replace(`${ROOT}/`, '') : '',
    line: d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}
