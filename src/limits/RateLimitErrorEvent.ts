import type { RequestEvent } from '../telemetry/RequestEvent.js';

/**
 * The rate-limit store failed, was too slow (250 ms), or is skipped after failing in a row: the call
 * goes on, counted in this process only (`acquire`), or its tokens are not corrected to its usage
 * (`settle`). A fleet's limit may then be exceeded by what the other processes send meanwhile.
 */
export interface RateLimitErrorEvent extends RequestEvent {
  /** The model id of the deployment whose limits were being counted. */
  readonly model: string;
  /** Its catalog provider. */
  readonly provider: string;
  /** `acquire`: counting a request before it is sent; `settle`: correcting its tokens after the answer. */
  readonly action: 'acquire' | 'settle';
  /** What the store said, scrubbed of API keys; a time-out or a skipped store says so. */
  readonly error: {
    /** The error's message. */
    readonly message: string;
  };
}
