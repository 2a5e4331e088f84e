import { defineConfig } from 'vitest/config';

/** Unit tests of the bench's pure helpers: `npx vitest run --root tools/bench`. */
export default defineConfig({
  resolve: { conditions: ['@uid2-operator/source'] },
  ssr: { resolve: { conditions: ['@uid2-operator/source'] } },
  test: { environment: 'node', include: ['lib/**/*.test.ts'] },
});
