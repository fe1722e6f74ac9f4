import { join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..');
const SRC = join(ROOT, 'src');
/** The package's entry points (package.json `exports` and the release entry point). */
const ENTRY_POINTS = ['src/index.ts', 'src/postgres/index.ts', 'src/testing/index.ts', 'src/release/index.ts'];

interface InputInterface {
  readonly declaration: ts.InterfaceDeclaration;
  /** How it was reached: exported, or the property or interface that leads to it. */
  readonly via: string;
}

/**
 * The interfaces users fill in: every `...Props` / `...Options` interface an entry point exports
 * or a parameter of an exported function, constructor or public method takes, the interfaces they extend, and the interfaces their properties' types name (transitively),
 * as far as they are declared in src/ (cdk8s's own props carry cdk8s's docs).
 */
function inputInterfaces(program: ts.Program): InputInterface[] {
  const checker = program.getTypeChecker();
  const found = new Map<ts.InterfaceDeclaration, InputInterface>();
  const queue: InputInterface[] = [];
  const add = (declaration: ts.Declaration, via: string): void => {
    if (!ts.isInterfaceDeclaration(declaration) || !declaration.getSourceFile().fileName.startsWith(SRC) || found.has(declaration)) return;
    const input = { declaration, via };
    found.set(declaration, input);
    queue.push(input);
  };
  const isPropsInterface = (d: ts.Declaration): d is ts.InterfaceDeclaration =>
    ts.isInterfaceDeclaration(d) && /(Props|Options)$/.test(d.name.text);
  const resolve = (symbol: ts.Symbol | undefined): ts.Symbol | undefined =>
    symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const declarationsIn = (type: ts.Type, seen = new Set<ts.Type>()): ts.Declaration[] => {
    if (seen.has(type)) return [];
    seen.add(type);
    const inner = (t: ts.Type): ts.Declaration[] => declarationsIn(t, seen);
    if (type.isUnionOrIntersection()) return type.types.flatMap(inner);
    const args = [
      ...(type.aliasTypeArguments ?? []),
      ...(checker.isArrayType(type) ? checker.getTypeArguments(type as ts.TypeReference) : []),
    ];
    return [...(type.getSymbol()?.declarations ?? []), ...(type.aliasSymbol?.declarations ?? []), ...args.flatMap(inner)];
  };

  for (const entry of ENTRY_POINTS) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, entry))!)!;
    for (const exported of checker.getExportsOfModule(module)) {
      for (const declaration of resolve(exported)?.declarations ?? []) {
        if (isPropsInterface(declaration)) add(declaration, `exported by ${entry}`);
        const signatures = ts.isFunctionDeclaration(declaration)
          ? [declaration]
          : ts.isClassDeclaration(declaration)
            ? declaration.members.filter(
                (m): m is ts.ConstructorDeclaration | ts.MethodDeclaration =>
                  (ts.isConstructorDeclaration(m) || ts.isMethodDeclaration(m)) &&
                  !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)),
              )
            : [];
        for (const signature of signatures) {
          for (const parameter of signature.parameters) {
            for (const d of declarationsIn(checker.getTypeAtLocation(parameter))) {
              if (isPropsInterface(d)) add(d, `a parameter of ${exported.name}.${signature.name?.getText() ?? 'constructor'}`);
            }
          }
        }
      }
    }
  }
  while (queue.length) {
    const { declaration } = queue.shift()!;
    const name = declaration.name.text;
    for (const clause of declaration.heritageClauses ?? []) {
      for (const base of clause.types) {
        for (const d of resolve(checker.getSymbolAtLocation(base.expression))?.declarations ?? []) add(d, `extended by ${name}`);
      }
    }
    for (const member of declaration.members) {
      if (!ts.isPropertySignature(member)) continue;
      for (const d of declarationsIn(checker.getTypeAtLocation(member))) add(d, `${name}.${member.name.getText()}`);
    }
  }
  return [...found.values()];
}

describe('every default is in a @default TSDoc tag', () => {
  const program = ts.createProgram(
    ENTRY_POINTS.map((entry) => join(ROOT, entry)),
    { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, noEmit: true },
  );
  const inputs = inputInterfaces(program);

  test('the walk finds the props of every layer (chart, values, hooks, workloads, postgres, app, testing, release)', () => {
    const names = inputs.map((i) => i.declaration.name.text);
    for (const name of [
      'HelmChartProps',
      'StringValueOptions',
      'HookJobProps',
      'StandardValuesProps',
      'PostgresReleaseProps',
      'PostgresImages',
      'PostgresImage',
      'DbBootstrapHookProps',
      'HelmAppProps',
      'RenderOptions',
      'PackageOptions',
      'ReleaseScopedPostgresOptions',
    ]) {
      expect(names).toContain(name);
    }
  });

  test('each optional property of an interface users fill in has a non-empty @default', () => {
    const missing = inputs.flatMap(({ declaration, via }) =>
      declaration.members
        .filter((member): member is ts.PropertySignature => ts.isPropertySignature(member) && member.questionToken !== undefined)
        .filter((member) => {
          const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === 'default');
          return !tag || !ts.getTextOfJSDocComment(tag.comment)?.trim();
        })
        .map((member) => {
          const file = member.getSourceFile();
          const line = file.getLineAndCharacterOfPosition(member.getStart()).line + 1;
          return `${relative(ROOT, file.fileName)}:${line} ${declaration.name.text}.${member.name.getText()} (${via})`;
        }),
    );
    expect(missing).toEqual([]);
  });
});
