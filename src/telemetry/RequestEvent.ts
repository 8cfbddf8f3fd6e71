import type { Operation } from '../call/Operation.js';

/** What every event of one routed call carries: which call it is, and what kind of request. */
export interface RequestEvent {
  /** Our id of the call (not the provider's): the same on every event of one call. */
  readonly requestId: string;
  /** What kind of request the call is (`'chat'`, `'embeddings'` or `'responses'`): the same on every event of one call. */
  readonly operation: Operation;
}
