import { defineConfig } from 'vitest/config';

/**
 * Shared Vitest settings: resolve workspace packages to their TypeScript sources
 * (the `@uid2-operator/source` export condition) so tests never need a build first.
 */
export function projectConfig(options: { timeoutMs?: number; coverage?: boolean } = {}) {
  return defineConfig({
    resolve: { conditions: ['@uid2-operator/source'] },
    ssr: { resolve: { conditions: ['@uid2-operator/source'] } },
    test: {
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: options.timeoutMs ?? 20_000,
      hookTimeout: options.timeoutMs ?? 60_000,
      coverage: {
        enabled: options.coverage ?? false,
        provider: 'v8',
        include: ['src/**/*.ts'],
        exclude: ['src/**/*.test.ts', 'src/generated/**', 'src/**/test-support/**'],
        reporter: ['text-summary', 'json-summary'],
      },
    },
  });
}
