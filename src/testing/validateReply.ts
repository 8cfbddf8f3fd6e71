import type { MockReply } from './MockReply.js';
import type { MockReplyFunction } from './MockReplyFunction.js';

const COUNTS = [
  'latencyMs',
  'chunkDelayMs',
  'cutAfterChunks',
  'endAfterChunks',
  'hangAfterChunks',
  'malformedAfterChunks',
  'failAfterChunks',
] as const satisfies ReadonlyArray<keyof MockReply>;

/**
 * Checks a reply when it is scripted rather than when a request meets it, so a typo fails the
 * test that made it, with a message naming the option.
 */
export function validateReply(reply: MockReply, where: string): MockReply {
  const fail = (message: string): never => {
    throw new TypeError(`${where}: ${message}`);
  };
  if (typeof reply !== 'object' || reply === null) fail('a reply must be an object');
  const { status, fault, chunkChars } = reply;
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
    fail(`status must be an integer from 200 to 599, got ${String(status)}`);
  }
  if (fault !== undefined && !['reset', 'hang', 'malformed'].includes(fault)) {
    fail(`fault must be 'reset', 'hang' or 'malformed', got ${String(fault)}`);
  }
  for (const name of COUNTS) {
    const value = reply[name];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      fail(`${name} must be a finite number >= 0, got ${String(value)}`);
    }
  }
  if (chunkChars !== undefined && !(Number.isInteger(chunkChars) && chunkChars >= 1)) {
    fail(`chunkChars must be an integer >= 1, got ${String(chunkChars)}`);
  }
  return reply;
}

/** Checks a scripted reply; a reply function is kept as it is, and its results checked per request. */
export function validateScripted(reply: MockReply | MockReplyFunction, where: string): MockReply | MockReplyFunction {
  return typeof reply === 'function' ? reply : validateReply(reply, where);
}
