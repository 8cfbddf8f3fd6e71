import type { MockReply } from './MockReply.js';
import type { MockReplyFunction } from './MockReplyFunction.js';
import type { MockRequest } from './MockRequest.js';

/** Options of `startMockOpenAI`. */
export interface MockOpenAIOptions {
  /** Port to listen on. @default 0 (a free port) */
  port?: number;
  /** Host to listen on; loopback only. @default '127.0.0.1' */
  host?: string;
  /** Default reply per model id (the request body's `model`): fixed, or computed per request. */
  models?: Record<string, MockReply | MockReplyFunction>;
  /** Reply for models not in `models`, fixed or computed per request. @default {} (a normal successful answer) */
  defaultReply?: MockReply | MockReplyFunction;
  /**
   * When set, a request whose `Authorization` is not `Bearer <apiKey>` gets a 401 whose message
   * masks the key it sent the way OpenAI does (`Incorrect API key provided: sk-te*****wxyz`).
   */
  apiKey?: string;
  /**
   * How the mock answers `GET /v1/models`, fixed or computed per request: `status`, `headers`,
   * `error`, `latencyMs` and `fault` apply as to a model's reply; a success lists the models that
   * have a reply of their own. For health checks: a provider down, slow, or without that endpoint.
   * @default {} (the list, at once)
   */
  modelsReply?: MockReply | MockReplyFunction;
  /**
   * How many requests `requests` keeps: past it the oldest are dropped first, so that a soak or a
   * benchmark of millions of calls does not hold every body in memory. `waitForRequests` counts
   * every request received, dropped ones included. An integer >= 1, or `Infinity` for no bound.
   * @default 10000
   */
  maxRequests?: number;
  /**
   * A prompt cache, as providers keep one: a request's usage reports as cached
   * (`usage.prompt_tokens_details.cached_tokens`; Responses: `usage.input_tokens_details.cached_tokens`)
   * the tokens of the longest prefix of whole messages this mock has already answered for that model
   * (Responses: of its instructions, then its input items), rounded down to 128-token blocks and 0
   * under 1,024 tokens, as OpenAI does. Tokens are the mock's estimate (characters / 4), so a prompt
   * needs about 4,096 characters to be cached at all. A failed reply caches nothing; a scripted
   * `usage.cachedTokens` wins. The last 100,000 prefixes are remembered (hashes, no text), per mock:
   * two mocks are two deployments with caches of their own.
   * @default false
   */
  promptCache?: boolean;
}

/**
 * A running mock of the OpenAI Chat Completions, Responses and Embeddings APIs, from
 * `startMockOpenAI`. `POST /v1/responses` answers in the official `Response` shape, as JSON or SSE
 * events, and refuses a `previous_response_id` this mock did not produce (OpenAI's 400
 * `previous_response_not_found`).
 * `POST /v1/embeddings` answers with deterministic hashed bag-of-words vectors (256 dimensions
 * unless the request sets `dimensions`), so similar texts get close vectors; replies scripted per
 * model (`setReply`, `enqueue`) apply to it too.
 */
export interface MockOpenAI {
  /** Base URL to give the openai client, ending in `/v1`, e.g. `'http://127.0.0.1:41234/v1'`. */
  readonly url: string;
  /** The port the mock listens on. */
  readonly port: number;
  /**
   * The requests received since the last `reset()`, in order (chat completions, responses,
   * embeddings and others; tell them apart by `path`): the last `maxRequests` of them (10,000 by default), older ones dropped first. A live
   * view: it grows as requests arrive.
   */
  readonly requests: readonly MockRequest[];
  /**
   * The client connections (TCP sockets) the mock has seen since it started or since the last
   * `reset()`: how many are open now, the most open at once, how many were accepted. A live view.
   * A connection's close is counted when the mock's side of the socket has closed, a moment after the client's.
   */
  readonly connections: MockConnections;
  /**
   * The model requests (chat completions, Responses, embeddings; not `GET /v1/models`) received and
   * not yet answered to their end: how many now, and the most at once since the mock started or since
   * the last `reset()`. A live view: a provider's view of a client's concurrency.
   */
  readonly inFlight: MockInFlight;
  /** The requests of `requests` whose body named `model`, in order: a new array on each call. */
  requestsFor(model: string): MockRequest[];
  /**
   * Replace a model's default reply (for its chat, Responses and embeddings requests alike): fixed, or a
   * `MockReplyFunction` called with each request.
   */
  setReply(model: string, reply: MockReply | MockReplyFunction): void;
  /** Replace the reply to `GET /v1/models` (see `MockOpenAIOptions.modelsReply`). */
  setModelsReply(reply: MockReply | MockReplyFunction): void;
  /**
   * One-shot replies for a model, served in order to its next requests before its default reply; a
   * function among them is called with the one request it answers.
   */
  enqueue(model: string, ...replies: Array<MockReply | MockReplyFunction>): void;
  /**
   * Resolves once at least `count` requests have arrived since the last `reset()` (immediately if
   * they have), counting those `maxRequests` dropped from `requests`. Uses no timers, so it works
   * under fake timers.
   */
  waitForRequests(count: number): Promise<void>;
  /**
   * Forgets the recorded requests (`waitForRequests` counts from 0 again; ids keep counting, so they
   * stay unique) and the replies queued with `enqueue`; keeps the default replies, those of
   * `models`, `defaultReply` and `setReply`, the reply to `GET /v1/models` (`modelsReply`,
   * `setModelsReply`), the prompt cache (`promptCache`) and the ids of the responses produced (a
   * `previous_response_id` stays valid across it, as on OpenAI). Open connections are left alone;
   * `connections` counts from them (`peak` from those open, `total` from 0), and `inFlight.peak` from
   * the requests in flight.
   */
  reset(): void;
  /** Close the server and destroy every open connection, hanging ones included. Idempotent. */
  close(): Promise<void>;
}

/** The model requests a running mock is answering (`mock.inFlight`). */
export interface MockInFlight {
  /** Requests received whose answer has not ended. */
  readonly now: number;
  /** The most at once since the mock started or since the last `reset()` (counted afresh from those in flight then). */
  readonly peak: number;
}

/** The connections of a running mock, counted as its server accepts and closes them (`mock.connections`). */
export interface MockConnections {
  /** Connections open now. */
  readonly open: number;
  /** The most connections open at once: a client's pool size under load. */
  readonly peak: number;
  /** Connections accepted: a client that reuses its connections (keep-alive) opens few. */
  readonly total: number;
}
