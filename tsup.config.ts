import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'redis/index': 'src/redis/index.ts',
    'otel/index': 'src/otel/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
  // p-retry is ESM only: it is bundled (a dev dependency) so that the CommonJS build works on every
  // Node 20, including those older than 20.19 that cannot require() an ES module.
  noExternal: ['p-retry', 'is-network-error'],
  // Optional peer dependencies, never bundled: ioredis is loaded only by tiered-llm/redis,
  // @opentelemetry/api only by tiered-llm/otel, gpt-tokenizer only when a prompt is counted.
  external: ['ioredis', '@opentelemetry/api', 'gpt-tokenizer'],
  banner: { js: '/*! tiered-llm bundles p-retry and is-network-error, MIT License, (c) Sindre Sorhus */' },
});
