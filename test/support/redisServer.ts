import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** A redis-server of our own on 127.0.0.1, for one test file. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Kills the server and waits for it to exit (a no-op when it is stopped). */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers PING. */
  start(): Promise<void>;
}

const running = new Set<RedisServer>();

const binary = findOnPath('redis-server');

/**
 * True when the tests that start a redis-server are to be skipped: there is none on the PATH and
 * this is not CI. Under CI (`CI=true`) a missing binary must fail those tests, not hide them, so
 * they run and `startRedis()` throws. Use it as `describe.skipIf(noRedisServer)`.
 */
export const noRedisServer: boolean = binary === undefined && process.env['CI'] !== 'true';
if (noRedisServer) sayOncePerRun('redis-server is not on the PATH: skipping the tests that start one (install redis-server to run them).');

/** Starts redis-server on a free port, without persistence, once it answers PING. `args` are extra `--option value` pairs. */
export async function startRedis(args: readonly string[] = []): Promise<RedisServer> {
  if (binary === undefined) {
    throw new Error(
      'redis-server is not on the PATH: the tests that start one need it (apt-get install redis-server); only outside CI do they skip.',
    );
  }
  const port = await freePort();
  let child: ChildProcess | undefined;
  let dir: string | undefined;

  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      if (child !== undefined) return;
      dir = mkdtempSync(join(tmpdir(), 'tiered-llm-redis-'));
      const argv = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args];
      const started = spawn(binary, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      running.add(server);
      let output = '';
      started.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000)));
      started.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000)));
      await waitForPing(port, started, () => output);
    },
    async stop() {
      const [stopping, used] = [child, dir];
      [child, dir] = [undefined, undefined];
      running.delete(server);
      if (stopping !== undefined && stopping.exitCode === null && stopping.signalCode === null) {
        const exited = new Promise<void>((resolve) => stopping.once('exit', () => resolve()));
        stopping.kill('SIGTERM');
        const timer = setTimeout(() => stopping.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (used !== undefined) rmSync(used, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** Stops every server still running: call it in afterEach/afterAll. */
export async function stopAllRedis(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

/** A port nobody listens on (as far as one can tell): for a Redis that was never there. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The first executable `name` on the PATH, as a shell would find it. */
function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Prints `line` once per vitest run rather than once per test file. Each file imports this module
 * in a worker of its own: a child process of vitest's (the forks pool) or a thread of it (threads),
 * so the first worker to create a marker named after vitest's process prints; markers of processes
 * gone are swept.
 */
function sayOncePerRun(line: string): void {
  const prefix = 'tiered-llm-redis-skip-';
  const vitestPid = isMainThread ? process.ppid : process.pid;
  for (const name of readdirSync(tmpdir())) {
    const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length)) : NaN;
    if (Number.isInteger(pid) && pid !== vitestPid && !isRunning(pid)) rmSync(join(tmpdir(), name), { force: true });
  }
  try {
    writeFileSync(join(tmpdir(), `${prefix}${vitestPid}`), '', { flag: 'wx' });
  } catch {
    return; // another file of this run has said it
  }
  process.stderr.write(`${line}\n`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls with real PING round trips until the server answers (PONG, or NOAUTH when it wants a password), it exits, or 10 s have passed. */
async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited before answering PING:\n${output()}`);
    }
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer PING on port ${port} within 10 s:\n${output()}`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(/^(\+PONG|-NOAUTH)/.test(reply)); // NOAUTH: up, with --requirepass
    });
  });
}

process.once('exit', () => {
  for (const server of running) void server.stop();
});
