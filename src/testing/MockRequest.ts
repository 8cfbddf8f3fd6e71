/** How an exchange with the mock ended. */
export type MockSettlement = 'completed' | 'closed-early' | 'reset';

/** One request the mock received, as recorded once its body had been read. */
export interface MockRequest {
  /** 1-based, in arrival order; ids keep counting after `reset()`, so they stay unique. */
  readonly id: number;
  /** HTTP method, e.g. `'POST'`. */
  readonly method: string;
  /** Path without the query string, e.g. `'/v1/chat/completions'` or `'/v1/responses'`. */
  readonly path: string;
  /** The body's `model`, when it is a string. */
  readonly model: string | undefined;
  /** The parsed JSON body; `undefined` when there was no body or it was not JSON. */
  readonly body: unknown;
  /** Headers with lower-case names; `authorization` included as received. */
  readonly headers: Readonly<Record<string, string>>;
  /** Whether the body asked for a stream (`stream: true`). */
  readonly stream: boolean;
  /** The client's port: requests with the same one came over the same keep-alive connection. */
  readonly remotePort: number;
  /** `Date.now()` when the request arrived (fake-able). */
  readonly receivedAt: number;
  /**
   * True once the client closed the connection before the mock finished its response (an abort,
   * a timeout). Stays false when the mock itself dropped the connection (`fault: 'reset'`, a cut
   * stream, `close()`).
   */
  readonly closedEarly: boolean;
  /**
   * Resolves when the exchange ended: `'completed'` (response fully sent), `'closed-early'`
   * (the client went away first) or `'reset'` (the mock destroyed the connection).
   */
  readonly settled: Promise<MockSettlement>;
}
