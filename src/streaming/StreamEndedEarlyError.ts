/**
 * A stream that ended (quietly, as `openai`'s iterator does when the connection closes) before its
 * first token or without a finish reason: the deployment is broken, so it counts as transient.
 */
export class StreamEndedEarlyError extends Error {
  override readonly name = 'StreamEndedEarlyError';
}
