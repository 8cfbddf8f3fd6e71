import { defineConfig, type Options } from 'tsup';

// The eval and its CLI import the package by its own name: built as external, they share the copy
// of tiered-llm the user installed (one client class, one set of errors) instead of bundling a second.
const self = ['tiered-llm', 'tiered-llm/testing', 'tiered-llm/eval'];

// Source maps without the sources inside: stack traces (node --enable-source-maps) still point at
// src/ lines, and the install stays under its 8 MB goal (the sources doubled the maps' size).
const mapsWithoutSources: Options['esbuildOptions'] = (options) => {
  options.sourcesContent = false;
};

const library: Options = {
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'redis/index': 'src/redis/index.ts',
    'otel/index': 'src/otel/index.ts',
    'eval/index': 'src/eval/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  esbuildOptions: mapsWithoutSources,
  // Everything but the command, which the second build writes beside it at the same time.
  clean: ['**/*', '!cli.js', '!cli.js.map'],
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
  // p-retry is ESM only: it is bundled (a dev dependency) so that the CommonJS build works on every
  // Node 20, including those older than 20.19 that cannot require() an ES module.
  // lru-cache is bundled (a dev dependency) for the install size: its package ships eight builds with
  // their source maps, 3.8 MB on disk, of which we run one 25 KB file (the same minified build its own
  // exports would load). None of our public types mention it.
  noExternal: ['p-retry', 'is-network-error', 'lru-cache'],
  // Optional peer dependencies, never bundled: ioredis is loaded only by tiered-llm/redis,
  // @opentelemetry/api only by tiered-llm/otel, gpt-tokenizer only when a prompt is counted.
  // ajv only by tiered-llm/eval, when a case checks a JSON Schema; undici only when a provider sets connections.
  external: ['ioredis', '@opentelemetry/api', 'gpt-tokenizer', 'ajv', 'undici', ...self],
  banner: {
    js:
      '/*! tiered-llm bundles p-retry and is-network-error, MIT License, (c) Sindre Sorhus; and lru-cache, ' +
      'Blue Oak Model License 1.0.0 (https://blueoakcouncil.org/license/1.0.0), (c) Isaac Z. Schlueter */',
  },
};

export default defineConfig([
  library,
  // The `tiered-llm` command: ESM only, no types. esbuild keeps the entry's #! line and tsup makes
  // the file executable; it reaches the eval through the package's own name, at run time.
  {
    entry: { cli: 'src/eval/cli/bin.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    esbuildOptions: mapsWithoutSources,
    clean: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    external: self,
  },
]);
