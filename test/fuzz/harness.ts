import { format } from 'node:util';
import OpenAI from 'openai';
import { createTieredClient, defineCatalog, type TieredClient } from '../../src/index.js';
import { recordEvents } from '../fleet.js';
import type { Script } from './behaviours.js';
import { startHostileServer, startTrapServer } from './hostileServer.js';
import { within, type CallOutcome } from './playCall.js';
import { secrets } from './secrets.js';
import type { RunRecord } from './verdict.js';

/** Fast retries and short limits, so that a run that hangs or retries still takes milliseconds. */
export const clientOptions = {
  retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 2, maxRetryAfterMs: 20 },
  timeouts: { requestMs: 100, firstTokenMs: 100, idleMs: 100, deadlineMs: 1_000 },
} as const;

/** How long a call may take before it counts as never settling: well past its deadline. */
export const watchdogMs = 4_000;

/** How long the servers wait for the sockets of a settled call to close. */
const socketGraceMs = 250;

/**
 * The fuzzed fleet: one hostile server behind two providers (`gateway`, whose client the library
 * makes, with a secret header in `defaultHeaders`; `byo`, a bring-your-own `OpenAI` client with a
 * secret-looking header), two tiers, and a trap server on another origin for redirects.
 */
export async function startUpstreams() {
  const trap = await startTrapServer();
  const hostile = await startHostileServer(trap.origin);
  const byo = new OpenAI({
    apiKey: secrets.byoKey,
    baseURL: `${hostile.origin}/byo/v1`,
    defaultHeaders: { 'x-api-key': secrets.byoHeader },
    // Its own log lines are the application's choice; what the library prints is what is checked.
    logLevel: 'off',
  });
  const catalog = defineCatalog({
    providers: {
      gateway: { apiKey: secrets.gatewayKey, baseURL: `${hostile.origin}/v1`, defaultHeaders: { 'x-gateway-key': secrets.gatewayHeader } },
      byo: { client: byo },
    },
    tiers: ['economy', 'premium'],
    models: [
      { id: 'eco', provider: 'gateway', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
      { id: 'prem', provider: 'byo', tier: 'premium', inputCostPerMTok: 1, outputCostPerMTok: 4, contextWindow: 16_000 },
    ],
  });
  const close = async () => {
    await hostile.close();
    await trap.close();
  };
  return { hostile, trap, catalog, close };
}

export type Upstreams = Awaited<ReturnType<typeof startUpstreams>>;

/** Unhandled rejections and uncaught exceptions of the process, recorded from `install()` on. */
export const unhandled = {
  seen: [] as unknown[],
  install(): () => void {
    const record = (error: unknown) => void unhandled.seen.push(error);
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
    return () => {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    };
  },
};

const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Records (instead of printing) what is written to the console and every process warning, until `stop()`. */
function captureConsole(): { lines: string[]; stop(): void } {
  const lines: string[] = [];
  // openai prints some stream parse failures with console.error whatever its logLevel: they count as output.
  const terminal: Record<(typeof consoleMethods)[number], (...args: unknown[]) => void> = globalThis.console;
  const originals = consoleMethods.map((method) => [method, terminal[method]] as const);
  for (const method of consoleMethods) terminal[method] = (...args: unknown[]) => void lines.push(format(...args));
  const warning = (w: Error) => lines.push(`warning: ${w.name}: ${w.message}`);
  process.on('warning', warning);
  return {
    lines,
    stop() {
      for (const [method, original] of originals) terminal[method] = original;
      process.off('warning', warning);
    },
  };
}

/**
 * One run: the hostile server plays `script`, a fresh client makes one call as `play` says, then
 * closes; the record holds what the caller got, every event, the console, what went unhandled,
 * the sockets left open and what reached the other origin.
 */
export async function runOnce(
  upstreams: Upstreams,
  script: Script,
  play: (client: TieredClient) => Promise<CallOutcome>,
  canary?: string,
): Promise<RunRecord> {
  const { hostile, trap, catalog } = upstreams;
  hostile.play(script, canary);
  trap.reset();
  const unhandledFrom = unhandled.seen.length;
  const output = captureConsole();
  try {
    const client = createTieredClient({ catalog, ...clientOptions });
    const events = recordEvents(client);
    const outcome = await play(client);
    const settledAt = performance.now();
    const closed = await within(watchdogMs, client.close());
    const openSockets = [...(await hostile.openSockets(socketGraceMs)), ...(await trap.openSockets(socketGraceMs))];
    return {
      outcome,
      clientClosed: closed !== undefined,
      events,
      console: output.lines,
      unhandled: unhandled.seen.slice(unhandledFrom),
      openSockets,
      trapRequests: [...trap.requests],
      lateRequests: [...hostile.requests, ...trap.requests].filter((request) => request.at > settledAt),
    };
  } finally {
    output.stop();
  }
}
