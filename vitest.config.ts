import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  // Examples import the package by its public name; in tests that name means the sources.
  resolve: {
    alias: [
      { find: /^tiered-llm$/, replacement: src('index.ts') },
      { find: /^tiered-llm\/testing$/, replacement: src('testing/index.ts') },
      { find: /^tiered-llm\/redis$/, replacement: src('redis/index.ts') },
      { find: /^tiered-llm\/otel$/, replacement: src('otel/index.ts') },
      { find: /^tiered-llm\/eval$/, replacement: src('eval/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Each file starts its own mock servers on port 0; files may run in parallel.
    pool: 'forks',
  },
});
