import type { MockReply } from './MockReply.js';
import type { MockRequest } from './MockRequest.js';

/** Options of `startMockOpenAI`. */
export interface MockOpenAIOptions {
  /** Port to listen on. @default 0 (a free port) */
  port?: number;
  /** Host to listen on; loopback only. @default '127.0.0.1' */
  host?: string;
  /** Default reply per model id (the request body's `model`). */
  models?: Record<string, MockReply>;
  /** Reply for models not in `models`. @default {} (a normal successful answer) */
  defaultReply?: MockReply;
  /**
   * When set, a request whose `Authorization` is not `Bearer <apiKey>` gets a 401 whose message
   * masks the key it sent the way OpenAI does (`Incorrect API key provided: sk-te*****wxyz`).
   */
  apiKey?: string;
}

/**
 * A running mock of the OpenAI Chat Completions and Embeddings APIs, from `startMockOpenAI`.
 * `POST /v1/embeddings` answers with deterministic hashed bag-of-words vectors (256 dimensions
 * unless the request sets `dimensions`), so similar texts get close vectors; replies scripted per
 * model (`setReply`, `enqueue`) apply to it too.
 */
export interface MockOpenAI {
  /** Base URL to give the openai client, ending in `/v1`, e.g. `'http://127.0.0.1:41234/v1'`. */
  readonly url: string;
  /** The port the mock listens on. */
  readonly port: number;
  /** Every request received since the last `reset()`, in order (chat completions, embeddings and others). */
  readonly requests: readonly MockRequest[];
  /** Requests for one model id, in order. */
  requestsFor(model: string): MockRequest[];
  /** Replace a model's default reply (for its chat and embeddings requests alike). */
  setReply(model: string, reply: MockReply): void;
  /** One-shot replies for a model, served in order to its next requests before its default reply. */
  enqueue(model: string, ...replies: MockReply[]): void;
  /**
   * Resolves once `requests` holds at least `count` requests (immediately if it already does).
   * Uses no timers, so it works under fake timers.
   */
  waitForRequests(count: number): Promise<void>;
  /** Forget recorded requests and queued replies; keep default replies. */
  reset(): void;
  /** Close the server and destroy every open connection, hanging ones included. Idempotent. */
  close(): Promise<void>;
}
