// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const domainPackages = ['crypto-envelope', 'dii-normalize', 'token-core', 'salt-buckets', 'optout', 'api-contracts'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/src/generated/**',
      '**/out-tsc/**',
      '.nx/**',
      '.data/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Dependency direction of CONVENTIONS.md, held by project tags (see each package.json "nx.tags").
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:leaf', onlyDependOnLibsWithTags: ['nothing-in-the-workspace'] },
            { sourceTag: 'scope:token-core', onlyDependOnLibsWithTags: ['project:crypto-envelope'] },
            { sourceTag: 'type:db', onlyDependOnLibsWithTags: ['type:domain'] },
            {
              sourceTag: 'type:client',
              onlyDependOnLibsWithTags: ['project:crypto-envelope', 'project:api-contracts', 'project:token-core'],
            },
            { sourceTag: 'scope:operator', onlyDependOnLibsWithTags: ['type:domain', 'type:db'] },
            // End-to-end tests drive the whole system from outside.
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['*'] },
            {
              sourceTag: 'scope:cli',
              onlyDependOnLibsWithTags: [
                'type:db',
                'type:client',
                'project:api-contracts',
                'project:dii-normalize',
                'project:optout',
              ],
            },
          ],
        },
      ],
    },
  },
  {
    // Domain packages are pure: no environment, no framework, no persistence.
    files: domainPackages.map((name) => `packages/${name}/src/**/*.ts`),
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['fastify', 'fastify/*', '@fastify/*'], message: 'Domain packages never import the HTTP framework.' },
            { group: ['@prisma/*', 'prisma', 'pg', '@electric-sql/*'], message: 'Domain packages never import persistence.' },
            { group: ['@uid2-operator/db', '@uid2-operator/db/*'], message: 'Domain packages never import db.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Domain packages never read the environment.' },
        { object: 'Date', property: 'now', message: 'Pass time in as an argument.' },
        { object: 'Math', property: 'random', message: 'Pass randomness in as an argument.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/test-support/**/*.ts', 'tools/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  prettier,
);
