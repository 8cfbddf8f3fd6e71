import type { AttemptErrorCode } from '../call/Attempt.js';

/** A deployment was taken out of rotation for slowness (`p99Ms`: its p99 then), or came back. */
export interface DeploymentDrainEvent {
  /** The deployment's model id. */
  readonly model: string;
  /** The deployment's provider. */
  readonly provider: string;
  /** Its p99 latency when it was drained (`deployment:drained` only). */
  readonly p99Ms?: number;
}

/** A deployment's circuit breaker changed state. */
export interface BreakerEvent {
  /** The deployment's model id. */
  readonly model: string;
  /** The deployment's provider. */
  readonly provider: string;
}

/**
 * One deployment's health probe (the provider option `healthCheck`). Emitted before the breaker
 * change it causes (`breaker:open` after a failed probe of a closed deployment, `breaker:close`
 * after a successful one of an open deployment).
 */
export interface HealthProbeEvent {
  /** The deployment's model id. */
  readonly model: string;
  /** The deployment's provider. */
  readonly provider: string;
  /** `models`: the provider's `GET /models`, one request for all its deployments; `chat`: a one-token request to this model. */
  readonly kind: 'models' | 'chat';
  /**
   * True when the provider answered: a 2xx, or a 4xx but 408 and 409 (a 429 is busy, not down). False
   * (a 5xx, a 408 or 409, a time-out, a connection error, a garbled answer) opens the deployment's breaker.
   */
  readonly ok: boolean;
  /** From sending the probe to its answer (or its failure), in ms. */
  readonly latencyMs: number;
  /** The HTTP status, when the provider answered. */
  readonly status?: number;
  /**
   * Why the probe did not get a 2xx: with `ok: false`, why the deployment counts as down; with
   * `ok: true`, the answer that proved it up all the same (a 404, a 401, a 429...).
   */
  readonly error?: {
    /** A stable code: `timeout`, `connection_error`, `server_error`, `invalid_response`... */
    readonly code: AttemptErrorCode;
    /** The error's message, scrubbed of API keys and cut to 1,000 characters. */
    readonly message: string;
  };
  /**
   * What a `chat` probe cost in USD, at the catalog's prices (its reported usage, else an estimate;
   * 0 when it got no answer). Counted in the client's `budget`; never in `metrics()` or `costReport()`.
   */
  readonly costUsd?: number;
}
