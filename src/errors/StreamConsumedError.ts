import { TieredError, isErrorWithCode } from './TieredError.js';

/** A stream read a second time (iterated again, or its `textStream` after the chunks): a stream has one reader. */
export class StreamConsumedError extends TieredError {
  readonly code = 'STREAM_CONSUMED';

  constructor() {
    super('The stream is already being read: a stream has one reader.', {
      hint: 'Iterate a stream (or its textStream) once; use final() for the result.',
    });
  }

  static override isInstance = isErrorWithCode<StreamConsumedError>('STREAM_CONSUMED');
}
