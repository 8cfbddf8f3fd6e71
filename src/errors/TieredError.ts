// Symbol.for, not Symbol(): the marker must be the same in two installed copies of the package.
const marker = Symbol.for('tiered-llm.error');

/**
 * Stable machine-readable codes of every error this package throws, one per error class:
 * - `CONFIG_INVALID`: `ConfigError`, a bad catalog or option, or a request that cannot be valid; `field` names it.
 * - `ALL_MODELS_FAILED`: `AllModelsFailedError`, no deployment answered; `attempts` says why each did not.
 * - `STREAM_INTERRUPTED`: `StreamInterruptedError`, a stream failed after its first chunk; `partialText` holds what came.
 * - `BUDGET_EXCEEDED`: `BudgetExceededError`, the spend budget would be passed; thrown before any network call.
 * - `CONTEXT_WINDOW_EXCEEDED`: `ContextWindowError`, no candidate's window holds the prompt plus the requested output.
 * - `CLIENT_CLOSED`: `ClientClosedError`, a call on a client after `close()`.
 * - `STREAM_CONSUMED`: `StreamConsumedError`, a stream read a second time.
 */
export type TieredErrorCode =
  | 'CONFIG_INVALID'
  | 'ALL_MODELS_FAILED'
  | 'STREAM_INTERRUPTED'
  | 'BUDGET_EXCEEDED'
  | 'CONTEXT_WINDOW_EXCEEDED'
  | 'CLIENT_CLOSED'
  | 'STREAM_CONSUMED';

/** Options shared by every {@link TieredError}. */
export interface TieredErrorOptions {
  /** The underlying error, when there is one. */
  readonly cause?: unknown;
  /** What the caller can do about it, in one sentence. */
  readonly hint: string;
}

/**
 * Base class of every error thrown by tiered-llm. Errors of the `openai` package that the caller
 * already handles (a 400 for a malformed request, an abort) are rethrown as they are, never wrapped.
 *
 * Check with `TieredError.isInstance(e)` (or a subclass's `isInstance`) rather than `instanceof`:
 * it still works when two copies of the package are installed.
 */
export abstract class TieredError extends Error {
  /** Stable code to branch on; never changes between versions. */
  abstract readonly code: TieredErrorCode;
  /** What the caller can do about it. */
  readonly hint: string;

  constructor(message: string, options: TieredErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    Object.defineProperty(this, marker, { value: true });
  }

  /** True for any error thrown by tiered-llm, from any installed copy of the package. */
  static isInstance(error: unknown): error is TieredError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/** Builds the `isInstance` guard of a subclass from its stable code (typed as the subclass's own, so a typo does not compile). */
export function isErrorWithCode<T extends TieredError>(code: T['code']) {
  return (error: unknown): error is T => TieredError.isInstance(error) && error.code === code;
}
