import type { AttemptErrorCode } from '../call/Attempt.js';
import { classifyFailure } from '../resilience/classifyFailure.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Redactor } from '../telemetry/Redactor.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import type { ProbeSend } from './probeRequests.js';
import type { ProbeRoom } from './ProbeRoom.js';
import type { HealthCheckSettings } from './resolveHealthCheck.js';

/** What probes need of the client. */
export interface ProbeParts {
  readonly telemetry: Telemetry;
  readonly redactor: Redactor;
  /** Counts what a model probe cost in the client's budget (a no-op without one). */
  readonly charge: (usd: number) => void;
  /** A model probe's room under its deployment's limits; absent for `GET /models`, which asks no model. */
  readonly room?: ProbeRoom;
}

/** What one probe came to. */
interface Outcome {
  readonly ok: boolean;
  readonly status: number | undefined;
  readonly error: { readonly code: AttemptErrorCode; readonly message: string } | undefined;
  readonly costUsd: number | undefined;
}

/** Share of the interval a wait may move either way, so that probes started together drift apart. */
const jitterShare = 0.1;

/** The wait before the next probe: `intervalMs` moved by up to ±10 % (`random` in [0, 1): Math.random's draw). */
export function jitteredMs(intervalMs: number, random: number): number {
  return Math.round(intervalMs * (1 - jitterShare + 2 * jitterShare * random));
}

/** The reason a probe's controller aborts with at its time limit, told apart from `close()`. */
const timedOut = Symbol('probe timed out');

/**
 * The probes of one target, on a timer of their own: a provider's `GET /models`, whose answer stands
 * for each of its deployments, or one deployment's own model. The first probe is sent at `start()`,
 * then one every interval (jittered); a tick that finds the last probe still in flight is skipped, so
 * a hanging provider never holds more than one. Each probe is bounded by `timeoutMs`, reported as one
 * `health:probe` per deployment, and then moves their breakers. Every timer is unref'd: probes never
 * keep a process alive on their own (a probe in flight holds its socket, up to its time limit).
 */
export class HealthProbe {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: AbortController | undefined;
  #closed = false;

  constructor(
    private readonly settings: HealthCheckSettings,
    private readonly deployments: readonly LiveDeployment[],
    private readonly send: ProbeSend,
    /** True for a probe of the model itself, whose success may close any open breaker (see `LiveDeployment.markUp`). */
    private readonly proven: boolean,
    private readonly parts: ProbeParts,
  ) {}

  start(): void {
    this.#tick();
  }

  /** Stops the timer and aborts the probe in flight, whose outcome is then dropped: it proves nothing. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#inFlight?.abort();
  }

  readonly #tick = (): void => {
    if (this.#closed) return;
    this.#timer = setTimeout(this.#tick, jitteredMs(this.settings.intervalMs, Math.random()));
    this.#timer.unref();
    if (this.#inFlight === undefined) void this.#probe();
  };

  async #probe(): Promise<void> {
    const controller = new AbortController();
    this.#inFlight = controller;
    const { room } = this.parts;
    if (room !== undefined && !(await this.#entered(room))) {
      // No room under the deployment's limits: this probe is skipped, it proves nothing either way.
      this.#inFlight = undefined;
      return;
    }
    const limit = setTimeout(() => controller.abort(timedOut), this.settings.timeoutMs);
    limit.unref();
    const startedAt = performance.now();
    let outcome: Outcome;
    try {
      const answer = await this.send(controller.signal);
      outcome = { ok: true, status: answer.status, error: undefined, costUsd: answer.costUsd };
    } catch (error) {
      outcome = this.#failed(error, controller.signal.reason === timedOut);
    } finally {
      clearTimeout(limit);
      room?.leave();
      this.#inFlight = undefined;
    }
    if (!this.#closed) this.#report(outcome, performance.now() - startedAt);
  }

  /** True when the probe has room (a shared store that fails counts it locally, as a caller's request). */
  async #entered(room: ProbeRoom): Promise<boolean> {
    const entered = room.enter();
    const admitted = typeof entered === 'boolean' ? entered : await entered;
    // Closed meanwhile: the probe is not sent, and its slot goes back.
    if (admitted && this.#closed) room.leave();
    return admitted && !this.#closed;
  }

  /** Only what the retry stage calls transient is down; a 429 is busy, and any other answer proves the deployment up. */
  #failed(error: unknown, timedOutNow: boolean): Outcome {
    const costUsd = this.proven ? 0 : undefined;
    if (timedOutNow) {
      const message = `The probe got no answer within ${this.settings.timeoutMs} ms.`;
      return { ok: false, status: undefined, error: { code: 'timeout', message }, costUsd };
    }
    const failure = classifyFailure(error);
    const message = this.parts.redactor.message(error instanceof Error ? error.message : String(error));
    const ok = failure.action !== 'retry' || failure.code === 'rate_limited';
    return { ok, status: failure.status, error: { code: failure.code, message }, costUsd };
  }

  #report(outcome: Outcome, latencyMs: number): void {
    const { telemetry, charge } = this.parts;
    if (outcome.costUsd !== undefined && outcome.costUsd > 0) charge(outcome.costUsd);
    for (const live of this.deployments) {
      if (telemetry.wants('health:probe')) {
        const { model, provider } = live.deployment;
        telemetry.emit('health:probe', {
          model: model.id,
          provider,
          kind: this.settings.kind,
          ok: outcome.ok,
          latencyMs,
          ...(outcome.status === undefined ? {} : { status: outcome.status }),
          ...(outcome.error === undefined ? {} : { error: outcome.error }),
          ...(outcome.costUsd === undefined ? {} : { costUsd: outcome.costUsd }),
        });
      }
      if (outcome.ok) live.markUp(this.proven);
      else live.markDown();
    }
  }
}
