import type { Call } from '../call/Call.js';
import type { TieredChatParams, TieredChatResult } from '../call/requests.js';
import { addUsd } from '../catalog/costOf.js';
import type { Placement } from '../metrics/MetricsRecorder.js';
import type { ShadowDropReason } from './shadowEvents.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import { conversationText } from './conversationText.js';
import { judgeShadow, reasonOf } from './judgeShadow.js';
import type { ShadowSettings } from './resolveShadowOptions.js';
import type { SendSide } from './SideRequest.js';

/** What the sampler needs of the client. */
export interface ShadowParts {
  readonly settings: ShadowSettings;
  readonly telemetry: Telemetry;
  /** Sends the shadows and the LLM judges' requests, outside the callers' books. */
  readonly send: SendSide;
  /** Counts a score in `client.metrics()`, in the scopes of the answer scored. */
  readonly record: (placement: Placement, score: number) => void;
}

/** A shadow in flight: what aborts it, and what settles when it is over. */
interface InFlight {
  readonly controller: AbortController;
  done?: Promise<void>;
}

/**
 * Shadow sampling (the `shadow` option): offered every answered call as it settles, it picks a
 * share at random and, once the caller has its answer, asks the same request of the shadow model and
 * has the judge score the answer against it: `shadow:result`, or `shadow:dropped` with a reason.
 * Bounded: `maxConcurrent` in flight, `budgetUsd` spent. Nothing of it reaches a caller: every
 * failure ends as a dropped shadow, never as a rejection.
 */
export class ShadowSampler {
  readonly #parts: ShadowParts;
  readonly #inFlight = new Set<InFlight>();
  #spentUsd = 0;
  #closed = false;

  constructor(parts: ShadowParts) {
    this.#parts = parts;
  }

  /** A call was answered (not from the cache: a hit settles through `settleHit`, never offered): shadow it, if it is drawn. */
  offer(call: Call, result: TieredChatResult): void {
    const { sampleRate, model, maxConcurrent, budgetUsd } = this.#parts.settings;
    // Already on the shadow model: there is nothing pricier to compare it with.
    if (result.model === model || result.tier === model) return;
    // Math.random() is in [0, 1): a rate of 1 takes every call, 0 none.
    if (Math.random() >= sampleRate) return;
    const reason: ShadowDropReason | undefined = this.#closed
      ? 'closed'
      : this.#inFlight.size >= maxConcurrent
        ? 'busy'
        : this.#spentUsd >= budgetUsd
          ? 'spend_cap'
          : undefined;
    if (reason !== undefined) return this.#dropped(result.requestId, reason);
    const shadow: InFlight = { controller: new AbortController() };
    this.#inFlight.add(shadow);
    shadow.done = this.#run(call, result, shadow.controller.signal).then(
      () => void this.#inFlight.delete(shadow),
      // #run catches what it can; this is the last guard against an unhandled rejection.
      () => void this.#inFlight.delete(shadow),
    );
  }

  /** Aborts the shadows in flight (each `shadow:dropped`, `closed`); resolves once they have settled. */
  async close(): Promise<void> {
    this.#closed = true;
    const settling = [...this.#inFlight];
    for (const shadow of settling) shadow.controller.abort();
    await Promise.all(settling.map((shadow) => shadow.done));
  }

  async #run(call: Call, result: TieredChatResult, signal: AbortSignal): Promise<void> {
    const { requestId } = result;
    // After the caller's turn: its answer is delivered before any of this runs.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let costUsd = 0;
    try {
      if (signal.aborted) return this.#dropped(requestId, 'closed');
      const { settings, send } = this.#parts;
      const of = call.options;
      const shadow = await send({ params: shadowParams(call.params, settings.model), of, signal });
      if (!shadow.ok) return this.#dropped(requestId, signal.aborted ? 'closed' : reasonOf(shadow, 'failed'));
      costUsd = this.#spend(shadow.costUsd);
      const question = conversationText(call.params.messages);
      const judged = await judgeShadow(settings.judge, send, { question, answer: result.text, reference: shadow.text, of, signal });
      costUsd = addUsd(costUsd, this.#spend(judged.costUsd));
      if ('reason' in judged) return this.#dropped(requestId, signal.aborted ? 'closed' : judged.reason);
      this.#parts.record(result, judged.score);
      const { telemetry } = this.#parts;
      if (!telemetry.wants('shadow:result')) return;
      const { model, tier } = result;
      telemetry.emit('shadow:result', {
        requestId,
        operation: 'chat',
        model,
        tier,
        shadowModel: shadow.model,
        score: judged.score,
        costUsd,
      });
    } catch {
      // Nothing above should throw; if something does, the shadow is dropped, the caller never knows.
      this.#dropped(requestId, signal.aborted ? 'closed' : 'failed');
    }
  }

  #spend(usd: number): number {
    this.#spentUsd = addUsd(this.#spentUsd, usd);
    return usd;
  }

  #dropped(requestId: string, reason: ShadowDropReason): void {
    const { telemetry } = this.#parts;
    if (telemetry.wants('shadow:dropped')) telemetry.emit('shadow:dropped', { requestId, operation: 'chat', reason });
  }
}

/** The sampled request, asked of the shadow model without a stream: only its answer is wanted. */
function shadowParams(params: TieredChatParams, model: string): TieredChatParams {
  const { stream: _stream, stream_options: _options, ...asked } = params;
  return { ...asked, model };
}
