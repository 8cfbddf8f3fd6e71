import type { MockInFlight } from './MockOpenAI.js';

/**
 * The model requests (chat, Responses, embeddings) a mock has received and not yet finished
 * answering: how many now, and the most at once since the last reset. A client's concurrency as
 * the provider sees it, e.g. to check a `maxConcurrent` limit.
 */
export class InFlightLog implements MockInFlight {
  now = 0;
  peak = 0;

  /** One more request, until `settled` resolves (the exchange ended, however). */
  enter(settled: Promise<unknown>): void {
    if (++this.now > this.peak) this.peak = this.now;
    void settled.then(this.#leave);
  }

  /** The peak counts afresh from the requests in flight now. */
  reset(): void {
    this.peak = this.now;
  }

  readonly #leave = (): void => {
    this.now--;
  };
}
