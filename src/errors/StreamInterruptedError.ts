import { TieredError, isErrorWithCode } from './TieredError.js';

/**
 * A stream failed after its first chunk had reached the caller: a reset, a malformed event, an
 * `idleMs` silence, the deadline, or an end without a finish reason. Nothing is restarted behind the
 * caller's back; `partialText` holds what had arrived, and `cause` what went wrong.
 */
export class StreamInterruptedError extends TieredError {
  readonly code = 'STREAM_INTERRUPTED';
  /** The text of the first choice received before the interruption. */
  readonly partialText: string;
  /** The catalog model id that was streaming. */
  readonly model: string;
  /** The catalog provider that was streaming. */
  readonly provider: string;

  constructor(details: {
    readonly partialText: string;
    readonly model: string;
    readonly provider: string;
    readonly reason: string;
    readonly cause: unknown;
  }) {
    super(
      `The stream from ${details.provider}/${details.model} was interrupted after ${details.partialText.length} characters: ${details.reason}`,
      {
        cause: details.cause,
        hint: 'The answer is incomplete: retry the request, or use partialText as a partial answer.',
      },
    );
    this.partialText = details.partialText;
    this.model = details.model;
    this.provider = details.provider;
  }

  static override isInstance = isErrorWithCode<StreamInterruptedError>('STREAM_INTERRUPTED');
}
