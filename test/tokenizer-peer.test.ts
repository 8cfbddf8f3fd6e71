import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerProjects, runIn as run } from './support/peerProject.js';

// gpt-tokenizer is an optional peer dependency: the built package runs in projects of its own (see
// support/peerProject.ts), with and without the tokenizer.
const { countTokens } = createRequire(import.meta.url)('gpt-tokenizer/encoding/o200k_base') as { countTokens: (text: string) => number };

const folder = peerProjects('tiered-llm-peer-');
const projects = { with: '', without: '' };

beforeAll(() => {
  projects.with = folder.project('with', ['gpt-tokenizer']);
  projects.without = folder.project('without', []);
});

afterAll(() => folder.remove());

// One window of 1,000 tokens. A short prompt fits without being counted; 1,400 characters may not fit
// by size alone, so they are counted (and fit); 7,000 characters cannot fit, and the error tells the count.
const program = (load: string) => `
${load}
const tokenizerLoaded = () => Object.keys(require.cache).some((path) => path.includes('gpt-tokenizer'));
let resolvable = true;
try { require.resolve('gpt-tokenizer/encoding/o200k_base'); } catch { resolvable = false; }
const loadedOnImport = tokenizerLoaded();
const mock = await startMockOpenAI();
const catalog = defineCatalog({
  providers: { local: { apiKey: 'sk-test-peer', baseURL: mock.url } },
  tiers: ['economy'],
  models: [{ id: 'gpt-4o', provider: 'local', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 2, contextWindow: 1000 }],
});
const client = createTieredClient({ catalog });
const ask = (content) => client.chat.completions.create({ model: 'economy', messages: [{ role: 'user', content }] });
await ask('hi');
const loadedAfterShortPrompt = tokenizerLoaded();
const fitted = (await ask('Hello, world! '.repeat(100))).object;
let refusedTokens;
try { await ask('Hello, world! '.repeat(500)); } catch (error) { refusedTokens = error.code + ' ' + error.promptTokens; }
await client.close();
await mock.close();
console.log(JSON.stringify({ resolvable, loadedOnImport, loadedAfterShortPrompt, fitted, refusedTokens, loadedAtEnd: tokenizerLoaded() }));
`;

const esm = program(`import { createRequire } from 'node:module';
import { defineCatalog, createTieredClient } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';
const require = createRequire(import.meta.url);`);
const cjs = `const { defineCatalog, createTieredClient } = require('tiered-llm');
const { startMockOpenAI } = require('tiered-llm/testing');
(async () => {${program('')}})();`;

// The documented estimate: 4 characters a token, 4 tokens a message, 3 priming the reply.
const estimate = (text: string) => Math.ceil(text.length / 4) + 4 + 3;
// OpenAI's chat framing: 3 tokens a message, its role ('user' is 1 token), 3 priming the reply.
const exact = (text: string) => countTokens(text) + 3 + 1 + 3;
const long = 'Hello, world! '.repeat(500);

describe.each([
  { kind: 'module' as const, source: esm },
  { kind: 'commonjs' as const, source: cjs },
])('the built package loaded as $kind', ({ kind, source }) => {
  it('fits prompts to the context window with the estimate when gpt-tokenizer is not installed', async () => {
    const got = await run(projects.without, kind, source);

    expect(got).toEqual({
      resolvable: false,
      loadedOnImport: false,
      loadedAfterShortPrompt: false,
      fitted: 'chat.completion',
      refusedTokens: `CONTEXT_WINDOW_EXCEEDED ${estimate(long)}`,
      loadedAtEnd: false,
    });
  });

  it('counts exactly when gpt-tokenizer is installed, loading it only when a prompt is counted', async () => {
    const got = await run(projects.with, kind, source);

    expect(exact(long)).not.toBe(estimate(long)); // else this test could not tell the two apart
    expect(got).toEqual({
      resolvable: true,
      loadedOnImport: false,
      loadedAfterShortPrompt: false,
      fitted: 'chat.completion',
      refusedTokens: `CONTEXT_WINDOW_EXCEEDED ${exact(long)}`,
      loadedAtEnd: true,
    });
  });
});
