import type { MockReply } from './MockReply.js';
import type { MockRequest } from './MockRequest.js';

/**
 * A reply computed from the request it answers: called once per request, with the request as
 * recorded (its `body` parsed), when the request meets it. A model's function answers its chat
 * completions, Responses and embeddings requests alike: `request.path` (`'/v1/chat/completions'`,
 * `'/v1/responses'`, `'/v1/embeddings'`) tells them apart. Its result is checked like a scripted
 * reply; a function that throws, or returns an invalid reply (or a promise), makes the mock answer
 * 500 with a message naming the model, so a bug in a test's script fails loudly instead of hanging.
 *
 * @example
 * ```ts
 * mock.setReply('gpt-4o-mini', (request) => ({ content: `You said ${lastUserText(request.body)}` }));
 * mock.setReply('gpt-4.1', (request) => (request.path === '/v1/responses' ? { status: 503 } : {}));
 * ```
 */
export type MockReplyFunction = (request: MockRequest) => MockReply;
