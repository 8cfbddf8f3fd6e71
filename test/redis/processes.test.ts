import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, noRedisServer, startRedis, stopAllRedis } from '../support/redisServer.js';
import { startSilentServer } from './silentServer.js';

const root = join(import.meta.dirname, '../..');
const source = pathToFileURL(join(root, 'src/redis/index.ts')).href;

afterEach(stopAllRedis);

interface Run {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs an ES module script in a fresh Node (sources through tsx); rejects if it fails or has not exited by itself within 20 s. */
const runNode = (script: string, args: readonly string[] = ['--import', 'tsx']): Promise<Run> =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, [...args, '--input-type=module', '-e', script], { cwd: root, timeout: 20_000 }, (error, stdout, stderr) => {
      if (error === null) resolve({ stdout: stdout.trim(), stderr });
      else reject(new Error(`${error.killed ? 'the process did not exit by itself' : error.message}\n${stderr}`));
    });
  });

const withStore = (url: string, body: string): string => `
import { RedisCacheStore } from ${JSON.stringify(source)};
const store = new RedisCacheStore({ redis: ${JSON.stringify(url)} });
${body}
await store.close();`;

describe('RedisCacheStore across processes', () => {
  it.skipIf(noRedisServer)('lets a process that closes its store exit by itself', async () => {
    const server = await startRedis();

    const run = await runNode(withStore(server.url, `await store.set('k', 'v', 60_000); console.log(await store.get('k'));`));

    expect(run.stdout).toBe('v');
  });

  it('lets a process exit by itself once it closes a store whose Redis is down, and stays quiet about it', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;

    const run = await runNode(withStore(url, `console.log(await store.get('k').then(() => 'answered', (e) => e.message));`));

    expect(run.stdout).toMatch(/^Redis GET failed: not connected/);
    expect(run.stderr).not.toMatch(/ioredis|Unhandled error event/);
  });

  it('lets a process exit by itself once it closes a store whose Redis hangs', async () => {
    const server = await startSilentServer();

    const run = await runNode(withStore(server.url, `console.log(await store.get('k').then(() => 'answered', (e) => e.message));`)).finally(
      () => server.close(),
    );

    expect(run.stdout).toBe('Redis GET timed out after 250 ms');
  });

  it.skipIf(noRedisServer)('shares one cache between two processes on the same Redis', async () => {
    const server = await startRedis();

    await runNode(withStore(server.url, `await store.set('shared', 'written by the first process', 60_000);`));
    const reader = await runNode(withStore(server.url, `console.log(await store.get('shared'));`));

    expect(reader.stdout).toBe('written by the first process');
  });

  it.skipIf(noRedisServer)('loads from the build with import and with require, ioredis left external', async () => {
    if (!existsSync(join(root, 'dist/redis/index.cjs')))
      throw new Error('dist/redis is missing: run `npm run build` (npm test does it first)');
    const server = await startRedis();
    const body = `const store = new RedisCacheStore({ redis: '${server.url}' });
      await store.set('k', 'built', 60_000); console.log(await store.get('k')); await store.close();`;

    const esm = await runNode(`import { RedisCacheStore } from './dist/redis/index.js';\n${body}`, []);
    const cjs = await runNode(
      `const { RedisCacheStore } = await import('node:module').then((m) => m.createRequire(import.meta.url)('./dist/redis/index.cjs'));\n${body}`,
      [],
    );

    expect([esm.stdout, cjs.stdout]).toEqual(['built', 'built']);
  });
});
