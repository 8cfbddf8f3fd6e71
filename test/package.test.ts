import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI } from '../src/testing/index.js';

// The packed tarball, installed the way a user gets it: proves the exports map, both builds, and
// that the CommonJS build needs no require(esm) for p-retry. `npm test` builds first (pretest).
const root = join(import.meta.dirname, '..');
let dir: string;

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  mkdirSync(join(root, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(root, '.tmp/pack-'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n')
    .at(-1)!;
  mkdirSync(join(dir, 'node_modules/tiered-llm'), { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', join(dir, 'node_modules/tiered-llm'), '--strip-components=1']);
}, 60_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const program = (load: string) => `
${load}
const mock = await startMockOpenAI();
const catalog = defineCatalog({
  providers: { local: { apiKey: 'sk-test-pack', baseURL: mock.url } },
  tiers: ['economy'],
  models: [{ id: 'tiny', provider: 'local', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 2, contextWindow: 8000 }],
});
const client = createTieredClient({ catalog });
const completion = await client.chat.completions.create({ model: 'economy', messages: [{ role: 'user', content: 'hi' }] });
await client.close();
await mock.close();
console.log(completion.object, completion.model, typeof RedisCacheStore, typeof instrumentOpenTelemetry);
`;

const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 30_000 }).trim();

describe('the packed package', () => {
  it('loads with import, and its client answers through the embedded mock', () => {
    const esm = program(
      `import { defineCatalog, createTieredClient } from 'tiered-llm';\nimport { startMockOpenAI } from 'tiered-llm/testing';\nimport { RedisCacheStore } from 'tiered-llm/redis';\nimport { instrumentOpenTelemetry } from 'tiered-llm/otel';`,
    );

    expect(run(['--input-type=module', '-e', esm])).toBe('chat.completion tiny function function');
  });

  it('loads with require, and its client answers through the embedded mock', () => {
    const cjs = `const { defineCatalog, createTieredClient } = require('tiered-llm');\nconst { startMockOpenAI } = require('tiered-llm/testing');\nconst { RedisCacheStore } = require('tiered-llm/redis');\nconst { instrumentOpenTelemetry } = require('tiered-llm/otel');\n(async () => {${program('')}})();`;

    expect(run(['--input-type=commonjs', '-e', cjs])).toBe('chat.completion tiny function function');
  });

  it('lets a process whose client is closed exit by itself, its provider still up', async () => {
    const mock = await startMockOpenAI({ models: { sick: { status: 500 } } });
    try {
      const script = `
import { defineCatalog, createTieredClient } from 'tiered-llm';
const catalog = defineCatalog({
  providers: { up: { apiKey: 'sk-test-exit', baseURL: '${mock.url}' } },
  tiers: ['economy', 'hot'],
  models: [
    { id: 'sick', provider: 'up', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 8000 },
    { id: 'well', provider: 'up', tier: 'hot', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 8000 },
  ],
});
const client = createTieredClient({ catalog, breaker: { volumeThreshold: 1 }, retry: { retries: 0 } });
for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: 'economy', messages: [{ role: 'user', content: 'hi' }] });
for await (const _ of await client.chat.completions.create({ model: 'hot', messages: [{ role: 'user', content: 'hi' }], stream: true }));
await client.close();
console.log(client.health().map((h) => h.breaker).join(','));
`;
      // execFileSync would block this process's mock: run the child asynchronously.
      const { execFile } = await import('node:child_process');
      const out = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, timeout: 20_000 }, (error, stdout) =>
          error ? reject(error) : resolve(stdout.trim()),
        ),
      );

      expect(out).toBe('closed,closed'); // and it exited: a hang would have hit execFile's timeout
    } finally {
      await mock.close();
    }
  });

  it('has no side effects on import and ships only dist/', () => {
    // stdout and stderr are pipes here: open them first, so only what the imports start is counted.
    const probe = `void process.stdout, process.stderr;
const handles = () => process.getActiveResourcesInfo().filter((r) => /Timeout|Immediate|TCP|Pipe|Signal/.test(r)).length;
const globals = Object.keys(globalThis).length;
const before = handles();
await import('tiered-llm');
await import('tiered-llm/testing');
await import('tiered-llm/redis');
await import('tiered-llm/otel');
console.log(handles() - before, Object.keys(globalThis).length - globals);`;
    expect(run(['--input-type=module', '-e', probe])).toBe('0 0');
    expect(existsSync(join(dir, 'node_modules/tiered-llm/src'))).toBe(false);
  });
});
