import { TieredError, isErrorWithCode } from './TieredError.js';

/**
 * No deployment the request could go to has a context window that holds its prompt plus the output
 * it asks for. Thrown before any network call.
 */
export class ContextWindowError extends TieredError {
  readonly code = 'CONTEXT_WINDOW_EXCEEDED';
  /** The model field as the caller gave it. */
  readonly requested: string;
  /** The prompt's tokens, counted or estimated. */
  readonly promptTokens: number;
  /** The output the request asks room for (`max_completion_tokens` or `max_tokens`, else 0). */
  readonly maxOutputTokens: number;
  /** The largest context window among the deployments considered. */
  readonly largestContextWindow: number;

  constructor(details: {
    readonly requested: string;
    readonly promptTokens: number;
    readonly maxOutputTokens: number;
    readonly largestContextWindow: number;
  }) {
    super(
      `'${details.requested}': the prompt (${details.promptTokens} tokens) plus the requested output (${details.maxOutputTokens}) fit no deployment; the largest context window is ${details.largestContextWindow}`,
      { hint: 'Shorten the prompt or max_completion_tokens, ask for a tier with a larger model, or add one to the fallback chain.' },
    );
    this.requested = details.requested;
    this.promptTokens = details.promptTokens;
    this.maxOutputTokens = details.maxOutputTokens;
    this.largestContextWindow = details.largestContextWindow;
  }

  static override isInstance = isErrorWithCode<ContextWindowError>('CONTEXT_WINDOW_EXCEEDED');
}
