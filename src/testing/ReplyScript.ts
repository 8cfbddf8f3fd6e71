import type { MockReply } from './MockReply.js';
import { validateReply } from './validateReply.js';

/** Which reply each model gets next: its one-shot queue first, then its default. */
export class ReplyScript {
  readonly #defaults = new Map<string, MockReply>();
  readonly #queues = new Map<string, MockReply[]>();
  readonly #fallback: MockReply;

  constructor(models: Record<string, MockReply> = {}, fallback: MockReply = {}) {
    this.#fallback = validateReply(fallback, 'defaultReply');
    for (const [model, reply] of Object.entries(models)) this.setReply(model, reply, `models['${model}']`);
  }

  /** Replaces a model's default reply. */
  setReply(model: string, reply: MockReply, where = `setReply('${model}')`): void {
    this.#defaults.set(model, validateReply(reply, where));
  }

  /** Queues one-shot replies for a model. */
  enqueue(model: string, replies: readonly MockReply[]): void {
    const queue = this.#queues.get(model) ?? [];
    replies.forEach((reply, index) => queue.push(validateReply(reply, `enqueue('${model}') reply ${index}`)));
    this.#queues.set(model, queue);
  }

  /** The reply for the next request to `model`, consuming a queued one if any. */
  take(model: string): MockReply {
    return this.#queues.get(model)?.shift() ?? this.#defaults.get(model) ?? this.#fallback;
  }

  /** Models with a reply of their own, for `GET /v1/models`. */
  knownModels(): string[] {
    return [...new Set([...this.#defaults.keys(), ...this.#queues.keys()])];
  }

  /** Drops every queued reply. */
  clearQueues(): void {
    this.#queues.clear();
  }
}
