import { dirname, join } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

/** One problem tsc reports: the file (relative to the repository) and line, TypeScript's code (2322: not assignable) and the message. */
export interface TypeProblem {
  readonly file: string;
  readonly line: number;
  readonly code: number;
  readonly message: string;
}

/**
 * Type-checks in-memory TypeScript files (strict) in one program, every entry point (`helm-synth`,
 * `helm-synth/postgres`, `helm-synth/release`, `helm-synth/testing`) mapped to src/ and the peers this repository installs; returns every
 * problem tsc reports.
 */
export function typeCheck(files: ReadonlyMap<string, string>): TypeProblem[] {
  const program = ts.createProgram([...files.keys()], OPTIONS, inMemoryHost(files));
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file ? d.file.fileName.replace(`${ROOT}/`, '') : '',
    line: d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0,
    code: d.code,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

/** The names an editor strikes through as `@deprecated` in in-memory files (TypeScript's suggestion diagnostics), as `file:line name`. */
export function deprecatedUses(files: ReadonlyMap<string, string>): string[] {
  const host = inMemoryHost(files);
  const service = ts.createLanguageService({
    getScriptFileNames: () => [...files.keys()],
    getScriptVersion: () => '1',
    getScriptSnapshot: (file) => {
      const text = host.readFile(file);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => ROOT,
    getCompilationSettings: () => OPTIONS,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: host.fileExists,
    readFile: host.readFile,
    directoryExists: host.directoryExists,
  });
  return [...files.keys()].flatMap((file) =>
    service
      .getSuggestionDiagnostics(file)
      .filter((d) => d.reportsDeprecated)
      .map(
        (d) =>
          `${file.replace(`${ROOT}/`, '')}:${d.file!.getLineAndCharacterOfPosition(d.start).line + 1} ${d.file!.text.slice(d.start, d.start + d.length)}`,
      ),
  );
}

/** The names a module exports, from its TypeScript source: all of them (values and types), or only those that exist at run time. */
export function exportedNames(module: string, only: 'all' | 'values' = 'all'): string[] {
  const program = ts.createProgram([module], OPTIONS);
  const checker = program.getTypeChecker();
  const typeOnly = (symbol: ts.Symbol) =>
    (symbol.declarations ?? []).some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
  const isValue = (symbol: ts.Symbol) =>
    !typeOnly(symbol) && (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol).flags & ts.SymbolFlags.Value;
  return checker
    .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(module)!)!)
    .filter((symbol) => only === 'all' || isValue(symbol))
    .map((symbol) => symbol.name);
}

const OPTIONS: ts.CompilerOptions = {
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

/** A compiler host that reads the in-memory files first, then the disk. */
function inMemoryHost(files: ReadonlyMap<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(OPTIONS);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  const folders = new Set([...files.keys()].map((file) => dirname(file)));
  host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
  host.directoryExists = (dir) => folders.has(dir) || (directoryExists?.call(host, dir) ?? true);
  host.readFile = (file) => files.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, onError, create) =>
    files.has(file) ? ts.createSourceFile(file, files.get(file)!, language) : getSourceFile.call(host, file, language, onError, create);
  return host;
}

/** Problems as `file:line TS<code> message` lines, for readable test failures. */
export function typeProblemLines(problems: readonly TypeProblem[]): string[] {
  return problems.map((p) => `${p.file}:${p.line} TS${p.code} ${p.message}`);
}
