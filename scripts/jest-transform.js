// Jest transformer: TypeScript to CommonJS with esbuild (the same compiler `npm run build` uses;
// no type-checking here, `npm run typecheck` does that).
const { transformSync } = require('esbuild');

module.exports = {
  process(source, sourcefile) {
    const { code } = transformSync(source, { loader: 'ts', format: 'cjs', target: 'node18', sourcemap: 'inline', sourcefile });
    return { code };
  },
};
