/** The outcome of a reservation. */
export type Reservation =
  /** Granted: `spentUsd` is the window's spend including this reservation. */
  | { readonly ok: true; readonly id: string; readonly window: number; readonly spentUsd: number }
  /** Refused: the window's spend plus the amount would pass the limit; `spentUsd` is the spend as it stands. */
  | { readonly ok: false; readonly spentUsd: number };

/**
 * Where a budget's spend is counted: fixed windows of `windowMs` (window index =
 * `floor(now / windowMs)`), each starting at 0. Before a call its maximum cost is reserved; after
 * it, the real cost replaces the reservation. A key is meant to be used with one `windowMs`.
 *
 * Amounts are compared at a resolution of a picodollar (1e-12 USD), so that ten reservations of
 * $0.10 fit a $1 limit even though 0.1 has no exact binary representation.
 * `MemoryBudgetStore` counts in one process; `tiered-llm/redis` has `RedisBudgetStore` for many.
 */
export interface BudgetStore {
  /** Atomically: when the current window's spend plus amountUsd stays within limitUsd, add it and return ok; else add nothing and refuse. */
  reserve(key: string, amountUsd: number, limitUsd: number, windowMs: number): Promise<Reservation> | Reservation;
  /** Replaces a reservation with what the call really cost (0 when it failed unbilled), in the window it was made in. */
  settle(
    key: string,
    reservation: { readonly id: string; readonly window: number },
    reservedUsd: number,
    actualUsd: number,
    windowMs: number,
  ): Promise<void> | void;
  /** Adds spend that was never reserved (e.g. downgraded calls over the limit), in the current window. */
  record(key: string, amountUsd: number, windowMs: number): Promise<void> | void;
  /** The current window's spend, reservations included. */
  spent(key: string, windowMs: number): Promise<number> | number;
  /** Releases what the store holds; `client.close()` calls it. */
  close?(): Promise<void> | void;
}

/**
 * `usd` rounded to the picodollar: sums of cents then compare as the decimals they stand for.
 * @internal for the stores' implementations
 */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}

/**
 * Throws a RangeError unless `value` is a finite amount >= 0 (`windowMs`: a finite number of milliseconds >= 1).
 * @internal for the stores' implementations
 */
export function checkBudgetArgument(operation: string, name: string, value: number): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= (name === 'windowMs' ? 1 : 0);
  if (!ok) {
    const expected = name === 'windowMs' ? 'a finite number of milliseconds >= 1' : 'a finite number of USD >= 0';
    throw new RangeError(`Budget ${operation}: ${name} must be ${expected}, got ${String(value)}`);
  }
}
