import type { Exchange } from './Exchange.js';
import type { MockRequest } from './MockRequest.js';

/** What the server knows about a request once its body is read. */
export type RequestFields = Omit<MockRequest, 'id' | 'closedEarly' | 'settled'>;

/**
 * The recorded requests, at most `max` of them (the oldest dropped first), and the promises waiting
 * for them. Waiters count every request received, so a dropped one still wakes them.
 */
export class RequestLog {
  readonly requests: MockRequest[] = [];
  #received = 0;
  #nextId = 1;
  #waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(private readonly max: number) {}

  /** Records a request, drops the oldest past the bound, and wakes the waiters it satisfies. */
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
    if (this.requests.length > this.max) this.requests.shift();
    const received = ++this.#received;
    const ready = this.#waiters.filter((waiter) => waiter.count <= received);
    this.#waiters = this.#waiters.filter((waiter) => waiter.count > received);
    for (const waiter of ready) waiter.resolve();
    return request;
  }

  /** Kept requests whose body named `model`. */
  forModel(model: string): MockRequest[] {
    return this.requests.filter((request) => request.model === model);
  }

  /** Resolves once `count` requests have been received; promises only, so fake timers cannot stall it. */
  waitFor(count: number): Promise<void> {
    if (this.#received >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Forgets the recorded requests and starts counting afresh; ids keep counting so they stay unique. */
  clear(): void {
    this.requests.length = 0;
    this.#received = 0;
  }
}
