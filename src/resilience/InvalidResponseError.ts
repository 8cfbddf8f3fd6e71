/**
 * A provider answered, but not with a chat completion: a body or stream chunk without a `choices`
 * array (an error object behind a 200, an HTML page, `{}`), or one whose parts are not the shape the
 * API promises. The deployment is broken, so the attempt counts as transient: retried, counted by its
 * breaker, fallen back from. Never `outcome: 'ok'`.
 */
export class InvalidResponseError extends Error {
  override readonly name = 'InvalidResponseError';
}
