/**
 * Why an attempt failed or was skipped: a stable code to branch on in dashboards and alerts.
 * Retried on the same deployment, then the next one:
 * - `rate_limited`: a 429.
 * - `server_error`: a 5xx, or a stream's error event that names no status.
 * - `request_timeout`: a 408.
 * - `conflict`: a 409.
 * - `timeout`: no answer within `timeouts.requestMs` (or no first token within `firstTokenMs`).
 * - `connection_error`: the connection was refused, reset or cut.
 * - `invalid_response`: a 200 that is not an answer of its kind (not JSON; a completion without a
 *   `choices` array, embeddings without a `data` list, a Responses `failed` status or `error` event).
 * On to the next deployment at once:
 * - `unauthorized`: a 401.
 * - `forbidden`: a 403.
 * - `not_found`: a 404 (the model does not exist there).
 * - `context_length_exceeded`: the provider found the prompt too long for the model.
 * - `redirect_blocked`: a redirect to another origin, not followed.
 * - `unknown`: any other failure.
 * Skipped without a network call:
 * - `breaker_open`: the deployment's breaker is open.
 * - `cooling_down`: the deployment asked for a `retry-after` longer than `retry.maxRetryAfterMs`.
 * - `rate_limited` (`outcome: 'skipped'`): at one of its catalog `limits`, or paused by its
 *   provider's `x-ratelimit-remaining-*` headers at 0.
 * Ending the call:
 * - `bad_request`: another 4xx, thrown as `openai`'s own error.
 * - `aborted`: the caller's signal aborted the call.
 * - `deadline_exceeded`: `timeouts.deadlineMs` passed.
 * A poor answer, with `qualityEscalation` (retried one tier up):
 * - `empty_answer`: no content, no tool call.
 * - `content_filtered`: the finish reason was `content_filter`.
 * - `invalid_json`: not valid JSON when `response_format` asked for JSON.
 */
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

/** One entry of a request's audit trail: an attempt of one deployment, or a deployment skipped without a call. */
export interface Attempt {
  readonly model: string;
  readonly provider: string;
  readonly tier: string;
  /** `'skipped'`: no network call was made (open breaker, cooling down, at a rate limit). */
  readonly outcome: 'ok' | 'error' | 'skipped';
  /** HTTP status of a failed attempt, when the provider answered. */
  readonly status?: number;
  readonly errorCode?: AttemptErrorCode;
  /** Time spent in this attempt, in milliseconds (0 for a skip). */
  readonly latencyMs: number;
  /** Wait before the next attempt of the same deployment (backoff or `retry-after`). */
  readonly delayMs?: number;
  /** The error of a failed attempt, as thrown: `openai` errors stay `openai` errors. Never holds an API key. */
  readonly error?: unknown;
}
