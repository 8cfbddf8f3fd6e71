import type { Capability } from '../catalog/types.js';
import type { Operation } from './Operation.js';

/**
 * What the shared stages need to know of a kind of request (chat, embeddings, the Responses API)
 * besides what they all have: how its parameters are checked, how large its prompt is, and what its
 * answer says. Each kind also brings its own send and price steps (see client/pipeline.ts); the
 * stages between them are the same for every kind. One frozen object per kind.
 */
export interface RequestKind {
  readonly operation: Operation;
  /** The open stage: @throws ConfigError naming the first bad parameter. */
  checkParams(params: unknown): void;
  /** Prompt tokens, estimated from the parameters: the budget's reservation, and the usage of an answer that reports none. */
  promptTokens(params: object): number;
  /** The most output tokens the request may generate, when it says (the budget's reservation). */
  maxOutputTokens(params: object): number | undefined;
  /** The answer's text, '' when it has none: `tieredChat()`'s `text`, and `request:end`'s with `captureContent`. */
  text(body: object): string;
  /** Its finish reasons, for `request:end` (empty when the kind has none). */
  finishReasons(body: object): readonly string[];
  /** True when an answer may be cached for the request (complete, and what it asked for). */
  storable(body: object, params: object): boolean;
  /** The fit stage: the capabilities a deployment must list to serve the request (tools, a JSON schema...); absent, none. */
  readonly needs?: (params: object) => readonly Capability[];
  /** False when the request may not use the cache at all (a stateful Responses request); absent, it may. */
  readonly cacheable?: (params: object) => boolean;
  /** True when a value read from a shared store is an answer of this kind (a foreign value is a miss). */
  isAnswer(body: unknown): boolean;
}
