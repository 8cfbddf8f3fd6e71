/**
 * The ids of the responses a mock produced, so that a `previous_response_id` it never produced
 * is refused as OpenAI refuses an unknown one. Bounded: past `max` ids the oldest are forgotten.
 */
export class ResponseMemory {
  readonly #ids = new Set<string>();

  constructor(private readonly max: number) {}

  /** Remembers a response's id, forgetting the oldest past the bound. */
  remember(id: string): void {
    this.#ids.add(id);
    if (this.#ids.size > this.max) this.#ids.delete(this.#ids.values().next().value as string);
  }

  /** Whether the mock produced this response (and still remembers it). */
  has(id: string): boolean {
    return this.#ids.has(id);
  }
}
