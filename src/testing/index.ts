/**
 * `tiered-llm/testing`: an embedded mock of the OpenAI Chat Completions, Responses and Embeddings APIs
 * for tests, examples and benchmarks.
 */
export { startMockOpenAI } from './startMockOpenAI.js';
export type { MockConnections, MockInFlight, MockOpenAI, MockOpenAIOptions } from './MockOpenAI.js';
export type { MockReply } from './MockReply.js';
export type { MockReplyFunction } from './MockReplyFunction.js';
export type { MockRequest, MockSettlement } from './MockRequest.js';
