/**
 * The soak's quality traffic: feedback on every answered call, and the proof that the request ids
 * the client remembers for feedback stay capped however many calls it answers.
 */
import type { Feedback, TieredClient } from 'tiered-llm';

/** Call `i`'s feedback, the same each time it is asked: thumbs on even calls, a score on odd ones. */
export function feedbackOf(i: number): Feedback {
  return i % 2 === 0 ? { thumbs: i % 6 === 0 ? 'down' : 'up' } : { score: (i % 5) / 4 };
}

/**
 * Gives every answered call its feedback, keeping the ids of the last `window` answered calls (a ring
 * allocated once, so that it does not grow with the soak) to count, at the end, how many of them the
 * client still knows.
 */
export class FeedbackLedger {
  readonly #client: TieredClient;
  readonly #ids: (string | undefined)[];
  readonly #calls: Int32Array;
  #next = 0;
  #first: { id: string; i: number } | undefined;
  /** Feedback given: one per answered call. */
  given = 0;
  /** Of those, the ones the client knew the request of (`feedback()` returned true). */
  accepted = 0;

  constructor(client: TieredClient, window: number) {
    this.#client = client;
    this.#ids = new Array<string | undefined>(window).fill(undefined);
    this.#calls = new Int32Array(window);
  }

  /** Call `i` was answered as request `requestId` (null: its response lacked our header). */
  answered(i: number, requestId: string | null): void {
    this.given++;
    if (requestId === null) return;
    if (this.#client.feedback(requestId, feedbackOf(i))) this.accepted++;
    this.#first ??= { id: requestId, i };
    const slot = this.#next++ % this.#ids.length;
    this.#ids[slot] = requestId;
    this.#calls[slot] = i;
  }

  /**
   * How many of the last `window` answered requests the client still remembers, and whether it
   * forgot the first one: each is given its own feedback again (a replacement, the same value: the
   * metrics do not move), and `feedback()` says whether it knew the request. Nothing is answered
   * meanwhile, so nothing is evicted while counting.
   */
  remembered(): { remembered: number; window: number; firstForgotten: boolean } {
    let remembered = 0;
    for (let slot = 0; slot < this.#ids.length; slot++) {
      const id = this.#ids[slot];
      if (id !== undefined && this.#client.feedback(id, feedbackOf(this.#calls[slot]!))) remembered++;
    }
    const first = this.#first;
    const firstForgotten = first !== undefined && !this.#client.feedback(first.id, feedbackOf(first.i));
    return { remembered, window: this.#ids.length, firstForgotten };
  }
}
