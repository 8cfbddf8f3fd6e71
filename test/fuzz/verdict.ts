import { inspect } from 'node:util';
import OpenAI from 'openai';
import { TieredError } from '../../src/index.js';
import type { Recorded } from '../fleet.js';
import type { SeenRequest } from './hostileServer.js';
import type { CallOutcome } from './playCall.js';
import { errorRenderings, leaksIn, payloadRenderings, secrets, type Rendering, type Secrets } from './secrets.js';

/** Everything one run left behind, for the verdict. */
export interface RunRecord {
  readonly outcome: CallOutcome;
  /** False when `client.close()` did not settle within the watchdog. */
  readonly clientClosed: boolean;
  /** Every event of the run's client, in order. */
  readonly events: readonly Recorded[];
  /** What was written to the console during the run. */
  readonly console: readonly string[];
  /** Unhandled rejections and uncaught exceptions during the run. */
  readonly unhandled: readonly unknown[];
  /** Sockets still open once the call settled and the client closed (what each was serving). */
  readonly openSockets: readonly string[];
  /** Requests that reached the other origin. */
  readonly trapRequests: readonly SeenRequest[];
  /** Requests that reached either server after the call had settled. */
  readonly lateRequests: readonly SeenRequest[];
}

/** A broken property: `kind` names the class of failure, `detail` the evidence. */
export interface Violation {
  readonly kind: string;
  readonly detail: string;
}

/** Longest error text from a body in an event (the contract's cut). */
const maxErrorText = 1_000;

/** An error the caller can handle: ours (`TieredError`), openai's (`APIError` and its subclasses), or an `AbortError`. */
export function isTypedError(error: unknown): boolean {
  return TieredError.isInstance(error) || error instanceof OpenAI.APIError || (error instanceof Error && error.name === 'AbortError');
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.constructor.name}: ${error.message.slice(0, 160)}` : inspect(error, { depth: 1 }).slice(0, 160);

const hasChoices = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Array.isArray((value as { choices?: unknown }).choices);

/** The properties every run must keep, as a list of what it broke (empty: none). */
export function verdict(run: RunRecord, known: Secrets = secrets): Violation[] {
  const found: Violation[] = [];
  const fail = (kind: string, detail: string) => found.push({ kind, detail });
  const { outcome } = run;

  // 1. Every call settles, with a valid completion or a typed error.
  if (!outcome.settled) fail('call never settled', `watchdog fired after ${outcome.chunks.length} chunks`);
  if (!run.clientClosed) fail('client.close() never settled', 'watchdog fired');
  if ('completion' in outcome && !hasChoices(outcome.completion))
    fail('completion without a choices array', inspect(outcome.completion).slice(0, 200));
  outcome.chunks.forEach(
    (chunk, i) => hasChoices(chunk) || fail('chunk without a choices array', `chunk ${i}: ${inspect(chunk).slice(0, 200)}`),
  );
  outcome.texts.forEach((text, i) => typeof text === 'string' || fail('textStream piece not a string', `piece ${i}: ${inspect(text)}`));
  const thrown: [string, unknown][] = [];
  if (outcome.error !== undefined) thrown.push(['error', outcome.error.value]);
  if (outcome.final !== undefined && 'error' in outcome.final) thrown.push(['final() error', outcome.final.error]);
  for (const [where, error] of thrown) if (!isTypedError(error)) fail('untyped error', `${where}: ${describe(error)}`);

  // A tieredChat() stream's final() agrees with its loop.
  if (outcome.final !== undefined) {
    if ('completion' in outcome.final && !hasChoices(outcome.final.completion)) fail('completion without a choices array', 'final()');
    if (outcome.error !== undefined && 'completion' in outcome.final)
      fail('final() resolved although the loop threw', describe(outcome.error.value));
    if (outcome.error === undefined && 'error' in outcome.final)
      fail('final() rejected although the loop ended', describe(outcome.final.error));
  }

  // 2. Nothing is unhandled.
  for (const error of run.unhandled) fail('unhandled rejection or exception', describe(error));

  // 3. No secret in any output.
  const renderings: Rendering[] = [
    ...thrown.flatMap(([where, error]) => errorRenderings(where, error)),
    ...run.events.flatMap(({ name, payload }) => payloadRenderings(name, payload)),
    ...run.console.map((line): Rendering => ['console', line]),
    ...run.unhandled.flatMap((error) => errorRenderings('unhandled', error)),
  ];
  const leaks = leaksIn(renderings, known);
  if (leaks.length > 0) fail('secret leaked', leaks.join('; '));

  // 4. Every socket is closed once the call settled and the client closed.
  for (const socket of run.openSockets) fail('socket left open', socket);
  // ...and nothing is sent once it settled (a retry timer that outlived its call).
  for (const request of run.lateRequests) fail('request sent after the call settled', `${request.host}${request.path}`);

  // 5. No key follows a redirect to another origin (from a client the library made).
  const ownSecrets = [known.gatewayKey, known.gatewayHeader].filter((s): s is string => s !== undefined);
  for (const request of run.trapRequests) {
    const text = `${request.path} ${inspect(request.headers)} ${request.body}`;
    if (ownSecrets.some((secret) => text.includes(secret))) fail('key sent to another origin', `${request.host}${request.path}`);
  }

  // 6. Events tell the outcome: one request:start, and exactly one request:end or request:error, matching.
  if (outcome.settled) {
    const names = run.events.map((e) => e.name);
    const ends = names.filter((n) => n === 'request:end' || n === 'request:error');
    const starts = names.filter((n) => n === 'request:start').length;
    if (starts !== 1 || ends.length !== 1)
      fail('events do not tell one outcome', `${starts} request:start, then ${ends.join(', ') || 'no end'}`);
    else if (outcome.error !== undefined && ends[0] !== 'request:error')
      fail('events do not tell one outcome', `the call threw, the events say ${ends[0]}`);
    else if (outcome.error === undefined && !outcome.leftEarly && ends[0] !== 'request:end')
      fail('events do not tell one outcome', `the call answered, the events say ${ends[0]}`);
  }

  // 7. Error texts taken from bodies are cut.
  for (const { name, payload } of run.events) {
    if (name !== 'attempt:error') continue;
    const length = payload.error.message.length;
    if (length > maxErrorText) fail('attempt:error message not cut', `${length} characters (code ${payload.error.code})`);
  }

  // 8. Whatever usage a provider reports, what the library accounts stays a finite, non-negative number.
  const count = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  for (const { name, payload } of run.events) {
    if (name !== 'request:end' && name !== 'request:error') continue;
    const figures: Record<string, unknown> = { costUsd: payload.costUsd };
    if (name === 'request:end') Object.assign(figures, payload.usage);
    const odd = Object.entries(figures).filter(([, value]) => !count(value));
    if (odd.length > 0)
      fail('accounting not a finite non-negative number', `${name}: ${odd.map(([k, v]) => `${k} = ${inspect(v)}`).join(', ')}`);
  }
  return found;
}

/** The violations as a message: one line each. */
export function report(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.kind}: ${v.detail}`).join('\n');
}
