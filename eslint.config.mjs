// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import boundaries from 'eslint-plugin-boundaries';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layers, lowest first (ADR 0017, shared/DESIGN.md): a layer imports only layers before it
 * (and itself); reports and indicators are siblings, as are push and taxii.
 */
const LAYERS = [
  ['platform'],
  ['identity'],
  ['sharing'],
  ['reports', 'indicators'],
  ['push', 'taxii'],
  ['app'],
];

/** Imports only from the index of another library, or from an entry declared pure for unit tests. */
const ENTRY_POINTS = {
  platform: ['index.ts', 'time/client-instant.ts', 'errors/hub-errors.ts'],
  sharing: ['index.ts', 'tlp.ts'],
};

export const boundariesConfig = {
  files: ['apps/**/*.ts', 'libs/**/*.ts'],
  plugins: { boundaries },
  settings: {
    'import/resolver': {
      [join(dirname(fileURLToPath(import.meta.url)), 'tools/eslint-import-resolver.cjs')]: {},
    },
    'boundaries/elements': [
      ...LAYERS.flat()
        .filter((lib) => lib !== 'app')
        .map((lib) => ({ type: lib, pattern: `libs/${lib}/src` })),
      { type: 'app', pattern: 'apps/*/src' },
    ],
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'disallow',
        message:
          'imports point one way (platform → identity → sharing → reports, indicators → push, taxii → apps)',
        policies: LAYERS.map((layer, i) => ({
          from: { element: { types: { anyOf: layer } } },
          allow: {
            to: {
              element: {
                types: {
                  anyOf: [...LAYERS.slice(0, i).flat(), ...(i === LAYERS.length - 1 ? layer : [])],
                },
              },
            },
          },
        })),
      },
    ],
    'boundaries/entry-point': [
      'error',
      {
        default: 'disallow',
        message: 'another library is reached through its index only, never its internals',
        policies: LAYERS.flat().map((lib) => ({
          target: { element: { type: lib } },
          allow: ENTRY_POINTS[lib] ?? ['index.ts'],
        })),
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  boundariesConfig,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' },
    },
  },
  {
    // An ESLint resolver is loaded with require(): CommonJS by contract.
    files: ['tools/**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { exports: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts', '**/*.mjs', '**/*.cjs'],
    rules: { 'no-console': 'off' },
  },
);
