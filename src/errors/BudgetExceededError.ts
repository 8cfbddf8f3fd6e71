import { TieredError, isErrorWithCode } from './TieredError.js';

/**
 * With `budget.onExceeded: 'reject'`: the window's spend plus this call's reservation (its maximum
 * cost) would pass `budget.limitUsd`. Thrown before any network call.
 */
export class BudgetExceededError extends TieredError {
  readonly code = 'BUDGET_EXCEEDED';
  /** The budget's key: `'global'`, or the namespace with `per: 'namespace'`. */
  readonly budget: string;
  /** Spent in the current window, reservations of calls in flight included. */
  readonly spentUsd: number;
  /** `budget.limitUsd`: what the window allows. */
  readonly limitUsd: number;
  /** What this call would have reserved. */
  readonly reservationUsd: number;

  constructor(details: {
    readonly budget: string;
    readonly spentUsd: number;
    readonly limitUsd: number;
    readonly reservationUsd: number;
    readonly windowMs: number;
  }) {
    super(
      `Budget '${details.budget}': $${details.spentUsd.toFixed(6)} spent of $${details.limitUsd} in this ${details.windowMs} ms window; this call may cost up to $${details.reservationUsd.toFixed(6)}`,
      { hint: "Wait for the next window, raise budget.limitUsd, lower max_completion_tokens, or use onExceeded: 'downgrade'." },
    );
    this.budget = details.budget;
    this.spentUsd = details.spentUsd;
    this.limitUsd = details.limitUsd;
    this.reservationUsd = details.reservationUsd;
  }

  static override isInstance = isErrorWithCode<BudgetExceededError>('BUDGET_EXCEEDED');
}
