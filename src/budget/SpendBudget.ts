import { costOf } from '../catalog/costOf.js';
import type { Call } from '../call/Call.js';
import { BudgetExceededError } from '../errors/BudgetExceededError.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { StoreGuard } from '../resilience/StoreGuard.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import type { Reservation } from './BudgetStore.js';
import type { BudgetSettings } from './resolveBudgetOptions.js';

/** What the budget stage decided for a call. */
export interface Admission {
  /** The candidates to try: as routed, or the cheapest tier's when downgraded. */
  readonly candidates: readonly LiveDeployment[];
  /** Settles the call's spend once it is known (what it was billed; 0 when it failed unbilled). */
  readonly settle: (actualUsd: number) => void;
}

/**
 * Whose spend is counted: a call, or what stands for one outside any call (a health probe, whose
 * `budget:error` carries its own id).
 */
export type Payer = Pick<Call, 'operation' | 'options'> & { readonly requestId: string };

/** What failed on the budget's store, as `budget:error`'s `action` names it (its `operation` is the call's kind). */
type BudgetAction = 'reserve' | 'settle' | 'record';

const noop = (): void => {};

/**
 * The budget stage: before a call, reserves its maximum cost (the prompt estimate and its output
 * limit, at the priciest candidate's prices) in the current window; after it, the real cost (its
 * routing and embedding calls included) replaces the reservation. Over the limit, the call is refused (`reject`) or sent to the cheapest tier
 * (`downgrade`). A failing store never fails a call: it goes on, uncounted, with a `budget:error`
 * event. Each store operation is bounded by `timeoutMs`, and after 3 failures in a row the store is
 * skipped for 5 s ({@link StoreGuard}): calls then go on at once instead of each waiting out the limit.
 */
export class SpendBudget {
  private readonly guard: StoreGuard;

  constructor(
    readonly settings: BudgetSettings,
    private readonly telemetry: Telemetry,
  ) {
    this.guard = new StoreGuard({ name: 'budget', timeoutMs: settings.timeoutMs });
  }

  async admit(
    call: Call,
    candidates: readonly LiveDeployment[],
    cheapest: () => readonly LiveDeployment[] | undefined,
  ): Promise<Admission> {
    const { store, limitUsd, windowMs, onExceeded } = this.settings;
    const key = this.keyOf(call);
    const reservedUsd = this.maxCost(call, candidates);
    let reservation: Reservation;
    try {
      reservation = await this.guard.run('reserve', () => store.reserve(key, reservedUsd, limitUsd, windowMs));
    } catch (error) {
      this.failed(call, key, 'reserve', error);
      return { candidates, settle: noop };
    }
    if (reservation.ok) {
      const { id, window } = reservation;
      const settle = (actualUsd: number): void => {
        if (Math.floor(Date.now() / windowMs) === window) {
          this.behind(call, key, 'settle', () => store.settle(key, { id, window }, reservedUsd, actualUsd, windowMs));
          return;
        }
        // A call that ran into the next window: its cost counts in the window it ended in.
        this.behind(call, key, 'settle', () => store.settle(key, { id, window }, reservedUsd, 0, windowMs));
        this.behind(call, key, 'record', () => store.record(key, actualUsd, windowMs));
      };
      return { candidates, settle };
    }
    // Downgraded: spend is still counted, after the fact. A request the cheapest tier cannot serve is refused.
    const downgraded = onExceeded === 'downgrade' ? cheapest() : undefined;
    if (downgraded === undefined) {
      throw new BudgetExceededError({ budget: key, spentUsd: reservation.spentUsd, limitUsd, reservationUsd: reservedUsd, windowMs });
    }
    return {
      candidates: downgraded,
      settle: (actualUsd) => this.behind(call, key, 'record', () => store.record(key, actualUsd, windowMs)),
    };
  }

  /**
   * Counts spend of a call that holds no reservation, after the fact: the embedding of a semantic
   * hit, the classifier's call of one that failed before its budget stage, a health probe. Never
   * refuses anything.
   */
  charge(call: Payer, usd: number): void {
    if (usd <= 0) return;
    const key = this.keyOf(call);
    const { store, windowMs } = this.settings;
    this.behind(call, key, 'record', () => store.record(key, usd, windowMs));
  }

  private keyOf(call: Payer): string {
    return this.settings.per === 'namespace' ? `namespace:${call.options.cacheNamespace ?? this.settings.defaultNamespace}` : 'global';
  }

  /** Runs a store operation behind the call (nobody waits for it); a failure is reported, never thrown. */
  private behind(call: Payer, budget: string, action: BudgetAction, send: () => PromiseLike<void> | void): void {
    let written: Promise<void> | void;
    try {
      written = this.guard.run(action, send);
    } catch (error) {
      this.failed(call, budget, action, error);
      return;
    }
    if (written !== undefined) void written.catch((error: unknown) => this.failed(call, budget, action, error));
  }

  private failed(call: Payer, budget: string, action: BudgetAction, error: unknown): void {
    const telemetry = this.telemetry;
    if (telemetry === undefined || !telemetry.wants('budget:error')) return;
    const message = error instanceof Error ? error.message : String(error);
    telemetry.emit('budget:error', { requestId: call.requestId, operation: call.operation, budget, action, error: { message } });
  }

  /**
   * The most the call can cost: its prompt and output limit at the priciest price of the tier it goes
   * to first. A fallback to a pricier tier may cost more: its real cost is what gets counted.
   */
  private maxCost(call: Call, candidates: readonly LiveDeployment[]): number {
    const first = candidates[0]?.deployment.tierIndex;
    const { params, kind } = call;
    const usage = {
      inputTokens: kind.promptTokens(params),
      outputTokens: kind.maxOutputTokens(params) ?? this.settings.defaultMaxOutputTokens,
      cachedInputTokens: 0,
    };
    let most = 0;
    for (const live of candidates) if (live.deployment.tierIndex === first) most = Math.max(most, costOf(usage, live.deployment.model));
    return most;
  }
}
