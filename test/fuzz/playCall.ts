import type { TieredClient, TieredStream } from '../../src/index.js';
import type { PlainCaller, StreamingCaller } from './arbitraries.js';

/** What a caller got from one call. */
export interface CallOutcome {
  /** False when the watchdog gave up waiting: the call never settled. */
  readonly settled: boolean;
  /** The completion: `create()`'s result, or `tieredChat()`'s (or `final()`'s) `completion`. */
  readonly completion?: unknown;
  /** The chunks the caller's loop saw. */
  readonly chunks: readonly unknown[];
  /** The pieces `textStream` gave. */
  readonly texts: readonly unknown[];
  /** What the call (or its loop) threw. */
  readonly error?: { readonly value: unknown };
  /** What `final()` gave after the loop ended, for a `tieredChat()` stream. */
  readonly final?: { readonly completion: unknown } | { readonly error: unknown };
  /** The loop was left on purpose (`break`). */
  readonly leftEarly: boolean;
}

const messages = [{ role: 'user' as const, content: 'Say hello.' }];

/** Bounds a promise: `undefined` once `ms` passed without it settling. */
export async function within<T>(ms: number, promise: Promise<T>): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A non-streaming call, as `create()` or `tieredChat()`. */
export async function playPlainCall(client: TieredClient, caller: PlainCaller, watchdogMs: number): Promise<CallOutcome> {
  const call = async (): Promise<CallOutcome> => {
    try {
      const params = { model: 'economy', messages };
      const completion =
        caller.api === 'create' ? await client.chat.completions.create(params) : (await client.tieredChat(params)).completion;
      return { settled: true, completion, chunks: [], texts: [], leftEarly: false };
    } catch (error) {
      return { settled: true, chunks: [], texts: [], error: { value: error }, leftEarly: false };
    }
  };
  return (await within(watchdogMs, call()))?.value ?? { settled: false, chunks: [], texts: [], leftEarly: false };
}

/** A streaming call, read as the caller says: a loop to the end, `textStream`, `final()`, a `break`, or an abort. */
export async function playStreamingCall(client: TieredClient, caller: StreamingCaller, watchdogMs: number): Promise<CallOutcome> {
  const chunks: unknown[] = [];
  const texts: unknown[] = [];
  let leftEarly = false;
  const call = async (): Promise<CallOutcome> => {
    const read = caller.read;
    const controller = typeof read === 'object' && 'abort' in read ? new AbortController() : undefined;
    const options = controller === undefined ? undefined : { signal: controller.signal };
    const params = { model: 'economy', messages, stream: true as const };
    let stream: TieredStream | undefined;
    let error: { value: unknown } | undefined;
    try {
      stream = caller.api === 'create' ? await client.chat.completions.create(params, options) : client.tieredChat(params, options);
      if (read === 'final') return { settled: true, completion: (await stream.final()).completion, chunks, texts, leftEarly };
      if (read === 'text') {
        for await (const text of stream.textStream) texts.push(text);
      } else {
        for await (const chunk of stream) {
          chunks.push(chunk);
          if (typeof read === 'object' && 'break' in read && chunks.length > read.break) {
            leftEarly = true;
            break;
          }
          if (typeof read === 'object' && 'abort' in read && chunks.length > read.abort) controller?.abort();
        }
      }
    } catch (thrown) {
      error = { value: thrown };
    }
    // A tieredChat() stream read to its end (or to its error) owes its result: final() tells the same story.
    if (caller.api !== 'tieredChat' || leftEarly || stream === undefined)
      return { settled: true, chunks, texts, ...(error && { error }), leftEarly };
    const final = await stream.final().then(
      (result) => ({ completion: result.completion }),
      (thrown: unknown) => ({ error: thrown }),
    );
    return { settled: true, chunks, texts, ...(error && { error }), final, leftEarly };
  };
  return (await within(watchdogMs, call()))?.value ?? { settled: false, chunks, texts, leftEarly };
}
