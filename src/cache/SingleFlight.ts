import { APIUserAbortError } from 'openai';
import type { Call } from '../call/Call.js';
import { abortError } from '../call/abortError.js';
import { withinTime } from '../call/timeLimit.js';
import { AllModelsFailedError } from '../errors/AllModelsFailedError.js';
import { ConfigError } from '../errors/ConfigError.js';
import { StreamInterruptedError } from '../errors/StreamInterruptedError.js';

/**
 * An answer being fetched by a leading call, and how many calls wait for it. Its promise is made
 * only when a first follower asks: most fetches have none, and a cache hit registers one too.
 */
export class InFlight {
  followers = 0;
  #answer: Promise<string> | undefined;
  #resolve: ((value: string) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;

  /** The leader's answer (serialized), or its error. */
  get answer(): Promise<string> {
    if (this.#answer === undefined) {
      this.#answer = new Promise<string>((resolve, reject) => {
        this.#resolve = resolve;
        this.#reject = reject;
      });
      // Handled here too: a follower that gave up (its abort, its deadline) no longer listens.
      this.#answer.catch(ignore);
    }
    return this.#answer;
  }

  resolve(value: string): void {
    this.#resolve?.(value);
  }

  reject(error: unknown): void {
    this.#reject?.(error);
  }
}

const nothing = (): undefined => undefined;
const ignore = (): void => {};

/**
 * Single flight: identical cacheable calls in flight at the same time make one upstream call. The
 * first leads ({@link CacheFill}); the others follow and get its answer, or its error.
 */
export class SingleFlight {
  readonly #inflight = new Map<string, InFlight>();

  /** The call fetching the answer for `key`, if any. */
  leader(key: string): InFlight | undefined {
    return this.#inflight.get(key);
  }

  /**
   * Waits for a leader's answer, as long as this call may wait (its caller, its deadline). Resolves
   * undefined when the leader failed for reasons of its own: it hands over, and the first follower to
   * resume leads (the caller looks for a leader again at once, in the same turn).
   */
  follow(call: Call, leader: InFlight): Promise<string | undefined> {
    leader.followers++;
    return withinTime(leader.answer, Number.POSITIVE_INFINITY, nothing, call.scope.signal).catch((error: unknown) => {
      if (call.scope.abortReason !== undefined) throw abortError(call, error);
      if (!concernsOnlyTheLeader(error)) throw error;
      return undefined;
    });
  }

  register(key: string, entry: InFlight): void {
    this.#inflight.set(key, entry);
  }

  unregister(key: string, entry: InFlight): void {
    if (this.#inflight.get(key) === entry) this.#inflight.delete(key);
  }
}

/**
 * Errors of the leading call alone (its abort, its deadline, its options, its stream's reader): its
 * followers fetch for themselves.
 */
function concernsOnlyTheLeader(error: unknown): boolean {
  if (error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError')) return true;
  if (AllModelsFailedError.isInstance(error)) return error.reason === 'deadline';
  return ConfigError.isInstance(error) || StreamInterruptedError.isInstance(error);
}
