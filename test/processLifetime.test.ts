import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../src/testing/index.js';

// A script that makes one call and prints the answer, run as a process of its own against the built
// package: nothing but the call may keep that process alive.
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const script = (url: string) => `
import { createTieredClient, defineCatalog } from ${JSON.stringify(dist)};
const catalog = defineCatalog({
  providers: { local: { apiKey: 'sk-lifetime-test', baseURL: ${JSON.stringify(url)} } },
  tiers: ['economy'],
  models: [{ id: 'mini', provider: 'local', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 8000 }],
});
const client = createTieredClient({ catalog, retry: { retries: 2, minTimeoutMs: 300, maxTimeoutMs: 300 } });
const result = await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'hi' }] });
console.log(result.text, result.attempts.length);
await client.close();
`;

let mock: MockOpenAI | undefined;
afterEach(async () => mock?.close());

describe('a process awaiting a call', () => {
  it('stays alive through a retry backoff until the answer comes', async () => {
    mock = await startMockOpenAI({ defaultReply: { content: 'answered' } });
    mock.enqueue('mini', { status: 503 });
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, ['--input-type=module', '-e', script(mock!.url)], (error, out) =>
        resolve({ code: error === null ? 0 : (error.code as number), stdout: out }),
      );
    });
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: 'answered 2' });
  });
});
