// Resolves the @renkei/* aliases of tsconfig.json for eslint-plugin-boundaries (ESLint has no
// TypeScript resolver installed here), so the boundaries rules see which library an import
// reaches. Interface version 2 of eslint-plugin-import resolvers.
const { existsSync, statSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const PATHS = require(join(ROOT, 'tsconfig.json')).compilerOptions.paths;

function file(candidate) {
  for (const c of [candidate, `${candidate}.ts`, join(candidate, 'index.ts')]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return null;
}

exports.interfaceVersion = 2;

exports.resolve = function resolveImport(source, importer) {
  const alias = PATHS[source];
  if (alias) return { found: true, path: join(ROOT, alias[0]) };
  if (source.startsWith('.')) {
    const path = file(resolve(dirname(importer), source.replace(/\.js$/, '')));
    return path ? { found: true, path } : { found: false };
  }
  if (source.startsWith('@renkei/')) return { found: false };
  // A package: outside the layers.
  try {
    return { found: true, path: require.resolve(source, { paths: [dirname(importer)] }) };
  } catch {
    return { found: true, path: null };
  }
};
