import type { Exchange } from './Exchange.js';
import type { MockRequest } from './MockRequest.js';

/** What the server knows about a request once its body is read. */
export type RequestFields = Omit<MockRequest, 'id' | 'closedEarly' | 'settled'>;

/** The recorded requests, and the promises waiting for them. */
export class RequestLog {
  readonly requests: MockRequest[] = [];
  #nextId = 1;
  #waiters: Array<{ count: number; resolve: () => void }> = [];

  /** Records a request and wakes the waiters it satisfies. */
  record(fields: RequestFields, exchange: Exchange): MockRequest {
    const request: MockRequest = {
      id: this.#nextId++,
      ...fields,
      get closedEarly() {
        return exchange.closedEarly;
      },
      settled: exchange.settled,
    };
    this.requests.push(request);
    const ready = this.#waiters.filter((waiter) => waiter.count <= this.requests.length);
    this.#waiters = this.#waiters.filter((waiter) => waiter.count > this.requests.length);
    for (const waiter of ready) waiter.resolve();
    return request;
  }

  /** Requests whose body named `model`. */
  forModel(model: string): MockRequest[] {
    return this.requests.filter((request) => request.model === model);
  }

  /** Resolves once the log holds `count` requests; promises only, so fake timers cannot stall it. */
  waitFor(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Forgets the recorded requests; ids keep counting so they stay unique. */
  clear(): void {
    this.requests.length = 0;
  }
}
