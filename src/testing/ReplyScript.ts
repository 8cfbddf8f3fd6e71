import type { MockReply } from './MockReply.js';
import type { MockReplyFunction } from './MockReplyFunction.js';
import type { MockRequest } from './MockRequest.js';
import { validateReply, validateScripted } from './validateReply.js';

/** A reply as scripted: fixed, or computed from each request. */
type Scripted = MockReply | MockReplyFunction;

/** Which reply each model gets next: its one-shot queue first, then its default. */
export class ReplyScript {
  readonly #defaults = new Map<string, Scripted>();
  readonly #queues = new Map<string, Scripted[]>();
  readonly #fallback: Scripted;

  constructor(models: Record<string, Scripted> = {}, fallback: Scripted = {}) {
    this.#fallback = validateScripted(fallback, 'defaultReply');
    for (const [model, reply] of Object.entries(models)) this.setReply(model, reply, `models['${model}']`);
  }

  /** Replaces a model's default reply. */
  setReply(model: string, reply: Scripted, where = `setReply('${model}')`): void {
    this.#defaults.set(model, validateScripted(reply, where));
  }

  /** Queues one-shot replies for a model. */
  enqueue(model: string, replies: readonly Scripted[]): void {
    const queue = this.#queues.get(model) ?? [];
    replies.forEach((reply, index) => queue.push(validateScripted(reply, `enqueue('${model}') reply ${index}`)));
    this.#queues.set(model, queue);
  }

  /**
   * The reply for `request` to `model`, consuming a queued one if any. A reply function is called
   * here, once; what it throws, or an invalid result, is thrown as a `TypeError` naming the model.
   */
  take(model: string, request: MockRequest): MockReply {
    const scripted = this.#queues.get(model)?.shift() ?? this.#defaults.get(model) ?? this.#fallback;
    return typeof scripted === 'function' ? computeReply(scripted, `the reply function of model '${model}'`, request) : scripted;
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

/** Calls a reply function (`where` names it in errors); throws a `TypeError` for its throw or an invalid result. */
export function computeReply(compute: MockReplyFunction, where: string, request: MockRequest): MockReply {
  let reply: MockReply;
  try {
    reply = compute(request);
  } catch (error) {
    throw new TypeError(`${where} threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  // A promise would pass as an object with no fields, a silent default answer: refuse it.
  if (typeof (reply as { then?: unknown } | null)?.then === 'function') {
    throw new TypeError(`${where}: must return a reply, not a promise`);
  }
  return validateReply(reply, where);
}
