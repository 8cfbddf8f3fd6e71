import type { MockReply } from './MockReply.js';
import type { MockRequest } from './MockRequest.js';

/**
 * A reply computed from the request it answers: called once per request, with the request as
 * recorded (its `body` parsed), when the request meets it. Its result is checked like a scripted
 * reply; a function that throws, or returns an invalid reply (or a promise), makes the mock answer
 * 500 with a message naming the model, so a bug in a test's script fails loudly instead of hanging.
 *
 * @example
 * ```ts
 * mock.setReply('gpt-4o-mini', (request) => ({ content: `You said ${lastUserText(request.body)}` }));
 * ```
 */
export type MockReplyFunction = (request: MockRequest) => MockReply;
