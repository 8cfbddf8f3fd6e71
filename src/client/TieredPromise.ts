/** What `withResponse()` resolves to, as on `openai`'s `APIPromise`. */
export interface WithResponse<T> {
  readonly data: T;
  /** The HTTP response of the attempt that answered (see `TieredPromise`). */
  readonly response: Response;
  /** The provider's `x-request-id`, for its support; null when it sent none (or the cache answered). */
  readonly request_id: string | null;
}

/**
 * What `client.chat.completions.create()` returns: a Promise of what `openai` resolves to, with the
 * `withResponse()` and `asResponse()` of `openai`'s `APIPromise`. The response is that of the attempt
 * that answered, after any retries and fallback; a call answered from the cache (or by an identical
 * call in flight) has no HTTP response of its own and gets a `200` made from the answer, with the
 * header `x-tiered-llm-cache: hit`. Either way the response carries our request id in the header
 * `x-tiered-llm-request-id`, for `client.feedback()`.
 */
export class TieredPromise<T> extends Promise<T> {
  /** `Promise`: then/catch/finally make plain Promises; only the promise create() returned carries the helpers. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #source: Promise<unknown> | undefined;
  #data: ((source: never) => T) | undefined;
  #response: ((source: never) => Response) | undefined;
  #parsed: Promise<T> | undefined;

  /**
   * @internal A promise of `data(source)`; `response(source)` is the response of `withResponse()`.
   * `data` and `response` are shared functions: nothing is made per call but the promise itself.
   *
   * Lazy, as openai's `APIPromise` is: the data promise is made only when the caller reads it
   * (`then`, `await`), so a failed call awaited through `withResponse()` or `asResponse()` alone
   * rejects only the promise the caller holds, never an unread one as an unhandled rejection.
   */
  static of<S, T>(source: Promise<S>, data: (source: S) => T, response: (source: S) => Response): TieredPromise<T> {
    const promise = new TieredPromise<T>(settledWithNothing);
    promise.#source = source;
    promise.#data = data as (source: never) => T;
    promise.#response = response as (source: never) => Response;
    return promise;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    // The base promise (settled with nothing) stands in only for a TieredPromise made outside of().
    if (this.#source === undefined) return super.then(onfulfilled as never, onrejected) as Promise<R1 | R2>;
    this.#parsed ??= this.#source.then(this.#data as (source: unknown) => T);
    return this.#parsed.then(onfulfilled, onrejected);
  }

  /** The raw `Response` of the attempt that answered (or one made from the cached answer). */
  asResponse(): Promise<Response> {
    return this.#source!.then(this.#response as (source: unknown) => Response);
  }

  /** The data, the raw `Response` of the attempt that answered, and the provider's request id. */
  withResponse(): Promise<WithResponse<T>> {
    const data = this.#data as (source: unknown) => T;
    const respond = this.#response as (source: unknown) => Response;
    return this.#source!.then((source) => {
      const response = respond(source);
      return { data: data(source), response, request_id: response.headers.get('x-request-id') };
    });
  }
}

// The base Promise of every TieredPromise: settled at once with nothing, never read (see then()).
const settledWithNothing = (resolve: (value: never) => void): void => resolve(undefined as never);
