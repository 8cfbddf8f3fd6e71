import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerProjects, runIn } from './support/peerProject.js';

// undici is an optional peer dependency, loaded only when a provider sets `connections`: the built
// package runs in projects of its own (see support/peerProject.ts), with and without undici.
const folder = peerProjects('tiered-llm-undici-');
const projects = { with: '', without: '' };

beforeAll(() => {
  projects.with = folder.project('with', ['undici']);
  projects.without = folder.project('without', []);
});

afterAll(() => folder.remove());

// A call without connections, then a client with them: loaded or refused. The process must then
// exit on its own (execFile waits for it) once the client is closed.
const program = (load: string) => `
${load}
const undiciLoaded = () => Object.keys(require.cache).some((path) => /[\\\\/]undici[\\\\/]/.test(path));
const mock = await startMockOpenAI({ defaultReply: { latencyMs: 5 } });
const catalogOf = (connections) => defineCatalog({
  providers: { local: { apiKey: 'sk-test-peer', baseURL: mock.url, ...(connections ? { connections } : {}) } },
  tiers: ['economy'],
  models: [{ id: 'mini', provider: 'local', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 2, contextWindow: 8000 }],
});
const ask = (client) => client.chat.completions.create({ model: 'economy', messages: [{ role: 'user', content: 'hi' }] });
const plain = createTieredClient({ catalog: catalogOf(undefined) });
const withoutConnections = (await ask(plain)).object;
await plain.close();
const loadedWithoutConnections = undiciLoaded();
let withConnections;
try {
  const pooled = createTieredClient({ catalog: catalogOf({ max: 2, keepAliveMs: 30000 }) });
  const answers = await Promise.all([1, 2, 3, 4].map(() => ask(pooled)));
  const sockets = new Set(mock.requests.slice(1).map((request) => request.remotePort)).size;
  withConnections = answers.map((answer) => answer.object).join(',') + ' over ' + sockets + ' sockets';
  await pooled.close();
} catch (error) {
  withConnections = error.code + ' ' + error.field + ': ' + error.hint;
}
await mock.close();
console.log(JSON.stringify({ withoutConnections, loadedWithoutConnections, withConnections, loadedAtEnd: undiciLoaded() }));
`;

const esm = program(`import { createRequire } from 'node:module';
import { defineCatalog, createTieredClient } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';
const require = createRequire(import.meta.url);`);
const cjs = `const { defineCatalog, createTieredClient } = require('tiered-llm');
const { startMockOpenAI } = require('tiered-llm/testing');
(async () => {${program('')}})();`;

describe.each([
  { kind: 'module' as const, source: esm },
  { kind: 'commonjs' as const, source: cjs },
])('the built package loaded as $kind', ({ kind, source }) => {
  it('pools connections with undici installed, loading it only for a provider that sets connections', async () => {
    const got = await runIn(projects.with, kind, source);

    expect(got).toEqual({
      withoutConnections: 'chat.completion',
      loadedWithoutConnections: false,
      withConnections: 'chat.completion,chat.completion,chat.completion,chat.completion over 2 sockets',
      loadedAtEnd: true,
    });
  });

  it('refuses connections without undici installed, with a ConfigError that says how to install it', async () => {
    const got = await runIn(projects.without, kind, source);

    expect(got).toEqual({
      withoutConnections: 'chat.completion',
      loadedWithoutConnections: false,
      withConnections: expect.stringMatching(/^CONFIG_INVALID providers\.local\.connections: .*npm install undici@6/),
      loadedAtEnd: false,
    });
  });
});
