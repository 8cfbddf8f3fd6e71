/**
 * What kind of request a routed call is, after the `openai` resource it came through:
 * `'chat'` (`chat.completions.create` and the helpers built on it: `parse()`, `stream()`,
 * `runTools()`), `'embeddings'` (`embeddings.create`) or `'responses'` (`responses.create`).
 * Every event of a routed call carries it, and `client.metrics().byOperation` counts by it.
 */
export type Operation = 'chat' | 'embeddings' | 'responses';
