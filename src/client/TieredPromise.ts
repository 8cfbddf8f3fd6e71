import { APIPromise, type OpenAI } from 'openai';

/** What `openai` passes its transforms besides the data (its `APIResponseProps`, not exported by name). */
type APIResponseProps = Parameters<Parameters<APIPromise<unknown>['_thenUnwrap']>[0]>[1];

/** What `withResponse()` resolves to, as on `openai`'s `APIPromise`. */
export interface WithResponse<T> {
  readonly data: T;
  /** The HTTP response of the attempt that answered (see `TieredPromise`). */
  readonly response: Response;
  /** The provider's `x-request-id`, for its support; null when it sent none (or the cache answered). */
  readonly request_id: string | null;
}

/** @internal How a TieredPromise reads what its call produced: shared functions, one pair per kind of call. */
export interface Reading<S, T> {
  /** What the promise resolves to. */
  data(client: unknown, source: S): T;
  /** The HTTP response of `withResponse()` and `asResponse()`. */
  response(source: S): Response;
}

/**
 * What the routed calls of a tiered client return (`chat.completions.create()`, `embeddings.create()`,
 * `responses.create()`): an `openai` `APIPromise`, so code typed for one takes it and `openai`'s own
 * helpers build on it (`parse()` calls `create()._thenUnwrap()`). Lazy, as `APIPromise` is: nothing
 * is read until the caller awaits it or asks for its response, so a failed call read only through
 * `withResponse()` rejects only the promise the caller holds.
 *
 * The response is that of the attempt that answered, after any retries and fallback; a call answered
 * from the cache (or by an identical call in flight) has no HTTP response of its own and gets a `200`
 * made from the answer, with the header `x-tiered-llm-cache: hit`. Either way it carries our request
 * id in the header `x-tiered-llm-request-id`, for `client.feedback()`.
 */
export class TieredPromise<T> extends APIPromise<T> {
  readonly #client: OpenAI;
  readonly #source: Promise<unknown>;
  readonly #reading: Reading<unknown, T>;

  /**
   * @internal `source` is the routed call; `reading` turns what it settles with into the data and the
   * response. `APIPromise` parses its "response" with `reading.data`, so its own `then`, `catch`,
   * `finally` and `withResponse` serve ours unchanged.
   */
  constructor(client: OpenAI, source: Promise<unknown>, reading: Reading<never, T>) {
    super(client, source as Promise<APIResponseProps>, reading.data as never);
    this.#client = client;
    this.#source = source;
    this.#reading = reading as Reading<unknown, T>;
  }

  /** The raw `Response` of the attempt that answered (or one made from the cached answer). */
  override asResponse(): Promise<Response> {
    return this.#source.then(this.#reading.response);
  }

  /** The data, the raw `Response` of the attempt that answered, and the provider's request id. */
  override withResponse(): Promise<WithResponse<T>> {
    return super.withResponse();
  }

  /** @internal As `APIPromise._thenUnwrap`, which `openai`'s helpers call: the same call, its data transformed. */
  override _thenUnwrap<U>(transform: (data: T, props: APIResponseProps) => U): TieredPromise<U> {
    const { data, response } = this.#reading;
    return new TieredPromise<U>(this.#client, this.#source, {
      data: (client, source) => {
        const props = propsOf(source, response);
        return withRequestId(transform(data(client, source), props), props.response);
      },
      response,
    });
  }
}

/**
 * As `openai`'s own `_thenUnwrap`: the transformed data (`parse()`'s, a new object) carries the
 * provider's `x-request-id` as `_request_id`, not enumerable, as every `openai` result does.
 */
function withRequestId<U>(value: U, response: Response): U {
  // One that has it already (a transform returning the completion itself) keeps it: openai's is not writable.
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.hasOwn(value, '_request_id')) return value;
  return Object.defineProperty(value, '_request_id', { value: response.headers.get('x-request-id'), enumerable: false });
}

/** What `openai`'s transforms are given besides the data; only `response` is read by its helpers. */
function propsOf(source: unknown, response: (source: unknown) => Response): APIResponseProps {
  return {
    get response() {
      return response(source);
    },
  } as APIResponseProps;
}
