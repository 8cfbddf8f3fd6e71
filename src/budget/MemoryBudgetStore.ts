import { checkBudgetArgument, roundUsd, type BudgetStore, type Reservation } from './BudgetStore.js';

interface Window {
  readonly window: number;
  spentUsd: number;
}

/**
 * The in-process {@link BudgetStore}: one entry per key, holding the current window's spend; a new
 * window starts again at 0. It reads `Date.now()` (so fake timers drive it) and holds no timer.
 * JavaScript runs each call to the end before the next, so a reservation is atomic by nature.
 */
export class MemoryBudgetStore implements BudgetStore {
  readonly #windows = new Map<string, Window>();
  #lastId = 0;

  reserve(key: string, amountUsd: number, limitUsd: number, windowMs: number): Reservation {
    checkBudgetArgument('reserve', 'amountUsd', amountUsd);
    checkBudgetArgument('reserve', 'limitUsd', limitUsd);
    checkBudgetArgument('reserve', 'windowMs', windowMs);
    const entry = this.#current(key, windowMs);
    const spentUsd = roundUsd(entry.spentUsd + amountUsd);
    if (spentUsd > limitUsd) return { ok: false, spentUsd: entry.spentUsd };
    entry.spentUsd = spentUsd;
    this.#lastId += 1;
    return { ok: true, id: String(this.#lastId), window: entry.window, spentUsd };
  }

  /** Once the reservation's window is over its spend counts no more: settling it then changes nothing. */
  settle(
    key: string,
    reservation: { readonly id: string; readonly window: number },
    reservedUsd: number,
    actualUsd: number,
    windowMs: number,
  ): void {
    checkBudgetArgument('settle', 'reservedUsd', reservedUsd);
    checkBudgetArgument('settle', 'actualUsd', actualUsd);
    checkBudgetArgument('settle', 'windowMs', windowMs);
    const entry = this.#windows.get(key);
    if (entry === undefined || entry.window !== reservation.window) return;
    entry.spentUsd = Math.max(0, roundUsd(entry.spentUsd + actualUsd - reservedUsd));
  }

  record(key: string, amountUsd: number, windowMs: number): void {
    checkBudgetArgument('record', 'amountUsd', amountUsd);
    checkBudgetArgument('record', 'windowMs', windowMs);
    const entry = this.#current(key, windowMs);
    entry.spentUsd = roundUsd(entry.spentUsd + amountUsd);
  }

  spent(key: string, windowMs: number): number {
    checkBudgetArgument('spent', 'windowMs', windowMs);
    const entry = this.#windows.get(key);
    return entry !== undefined && entry.window === windowOf(windowMs) ? entry.spentUsd : 0;
  }

  /** Forgets every window. */
  close(): void {
    this.#windows.clear();
  }

  /** The key's entry for the current window, started afresh when the one held is over. */
  #current(key: string, windowMs: number): Window {
    const window = windowOf(windowMs);
    let entry = this.#windows.get(key);
    if (entry === undefined || entry.window !== window) {
      entry = { window, spentUsd: 0 };
      this.#windows.set(key, entry);
    }
    return entry;
  }
}

const windowOf = (windowMs: number): number => Math.floor(Date.now() / windowMs);
