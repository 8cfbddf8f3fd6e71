import { withinTime } from '../call/timeLimit.js';
import type { Deployment } from '../catalog/types.js';
import type { RateLimitWindow } from './RateLimitStore.js';

const noop = (): void => {};

/**
 * A deployment's rate state in this process: its catalog `limits` (the `maxConcurrent` slots counted
 * here, the `rpm`/`tpm` window the store counts), and the pause a provider's `x-ratelimit-*` headers
 * asked for. A deployment has one only when it has limits or has been paused: the others pay one
 * branch per call.
 */
export class DeploymentRate {
  /** The store's key: the deployment's `provider/model`. */
  readonly key: string;
  readonly provider: string;
  readonly model: string;
  /** What the store counts, when the catalog sets `rpm` or `tpm`. */
  readonly window: RateLimitWindow | undefined;
  readonly maxConcurrent: number | undefined;
  /** Attempt sequences (and streams) holding a slot now. */
  inFlight = 0;
  /** `Date.now()` before which the provider's headers said there is no room; 0 when they did not. */
  pausedUntil = 0;
  #waiters: (() => void)[] | undefined;

  constructor(deployment: Deployment) {
    this.key = deployment.key;
    this.provider = deployment.provider;
    this.model = deployment.model.id;
    const { rpm, tpm, maxConcurrent } = deployment.model.limits ?? {};
    this.window =
      rpm === undefined && tpm === undefined
        ? undefined
        : Object.freeze({ ...(rpm === undefined ? {} : { rpm }), ...(tpm === undefined ? {} : { tpm }) });
    this.maxConcurrent = maxConcurrent;
  }

  /** The rate state of a deployment with catalog limits; undefined for one without (made on its first pause). */
  static of(deployment: Deployment): DeploymentRate | undefined {
    return deployment.model.limits === undefined ? undefined : new DeploymentRate(deployment);
  }

  /** Takes a concurrency slot; false when all are taken. Always true without `maxConcurrent`. */
  take(): boolean {
    if (this.maxConcurrent === undefined) return true;
    if (this.inFlight >= this.maxConcurrent) return false;
    this.inFlight++;
    return true;
  }

  /** True while every slot is taken. */
  get full(): boolean {
    return this.maxConcurrent !== undefined && this.inFlight >= this.maxConcurrent;
  }

  /** Gives back a slot {@link take} gave, and wakes whoever waits for one. */
  release(): void {
    if (this.maxConcurrent === undefined) return;
    this.inFlight = Math.max(0, this.inFlight - 1);
    const waiters = this.#waiters;
    if (waiters === undefined) return;
    // Every waiter checks again; the first to run gets the slot, the others wait on.
    this.#waiters = undefined;
    for (const wake of waiters) wake();
  }

  /** Resolves at the next release, or after `ms`; rejects when `signal` aborts. */
  async released(ms: number, signal: AbortSignal): Promise<void> {
    let wake: () => void = noop;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    (this.#waiters ??= []).push(wake);
    try {
      await withinTime(woken, ms, noop, signal);
    } finally {
      const index = this.#waiters?.indexOf(wake) ?? -1;
      if (index >= 0) this.#waiters!.splice(index, 1);
    }
  }

  /** Pauses the deployment until `until` (`Date.now()` time), or longer if it already was. */
  pause(until: number): void {
    if (until > this.pausedUntil) this.pausedUntil = until;
  }
}

/** What keeps a deployment's concurrency slot past its first token, until it ends: an upstream stream. */
export interface SlotHolder {
  /** Keeps `rate`'s slot until the stream ends (at once if it already has), then releases it. */
  holdSlot(rate: DeploymentRate): void;
}

/** After a deployment's attempts: a stream keeps the slot until it ends; any other outcome gives it back. */
export function holdOrRelease(rate: DeploymentRate, stream: boolean, outcome: unknown): void {
  if (stream && typeof (outcome as Partial<SlotHolder> | undefined)?.holdSlot === 'function') (outcome as SlotHolder).holdSlot(rate);
  else rate.release();
}
