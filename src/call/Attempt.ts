/** Why an attempt failed or was skipped: a stable code to branch on in dashboards and alerts. */
export type AttemptErrorCode =
  | 'rate_limited'
  | 'server_error'
  | 'request_timeout'
  | 'conflict'
  | 'timeout'
  | 'connection_error'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'context_length_exceeded'
  | 'bad_request'
  | 'invalid_response'
  | 'redirect_blocked'
  | 'aborted'
  | 'deadline_exceeded'
  | 'breaker_open'
  | 'cooling_down'
  | 'empty_answer'
  | 'content_filtered'
  | 'invalid_json'
  | 'unknown';

/** One entry of a request's audit trail: a try of one deployment, or a deployment skipped without a call. */
export interface Attempt {
  readonly model: string;
  readonly provider: string;
  readonly tier: string;
  /** `'skipped'`: no network call was made (open breaker, cooling down). */
  readonly outcome: 'ok' | 'error' | 'skipped';
  /** HTTP status of a failed try, when the provider answered. */
  readonly status?: number;
  readonly errorCode?: AttemptErrorCode;
  /** Time spent in this try, in milliseconds (0 for a skip). */
  readonly latencyMs: number;
  /** Wait before the next try of the same deployment (backoff or `retry-after`). */
  readonly delayMs?: number;
  /** The error of a failed try, as thrown: `openai` errors stay `openai` errors. Never holds an API key. */
  readonly error?: unknown;
}
