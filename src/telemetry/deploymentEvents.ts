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
