import type { SideCalls } from '../call/SideCall.js';
import { toPicoUsd, type TokenUsage } from '../catalog/costOf.js';

/**
 * The usage behind `client.costReport()`, counted since the client started: the tokens of answered
 * chat calls (not cache hits, not failures) with what their answers cost, and the routing and
 * embedding calls of every call. Money in whole pico-dollars, so sums are exact; a few numbers,
 * whatever the traffic.
 */
export class UsageTally {
  /** Epoch ms the counting started: the client's creation. */
  readonly since = Date.now();
  calls = 0;
  inputTokens = 0;
  cachedInputTokens = 0;
  outputTokens = 0;
  answersPico = 0;
  routingPico = 0;
  embeddingPico = 0;

  /** An answered chat call that was not a cache hit: its tokens and what its answer cost. */
  answered(usage: TokenUsage, answerUsd: number): void {
    this.calls++;
    this.inputTokens += usage.inputTokens;
    this.cachedInputTokens += Math.min(usage.cachedInputTokens, usage.inputTokens);
    this.outputTokens += usage.outputTokens;
    this.answersPico += toPicoUsd(answerUsd);
  }

  /** What any call (answered, cached or failed) spent on routing and embedding. */
  spent(call: SideCalls): void {
    if (call.routing !== undefined) this.routingPico += toPicoUsd(call.routing.costUsd);
    if (call.embedding !== undefined) this.embeddingPico += toPicoUsd(call.embedding.costUsd);
  }
}
