import type { Response, ResponseCreateParamsStreaming, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { InvalidResponseError } from '../resilience/InvalidResponseError.js';
import type { StreamAssembler, StreamReading, UpstreamStream } from './UpstreamStream.js';

/**
 * What a Responses stream's events make up as they pass: the text so far (billed if it breaks), and
 * the response of its last event, `response.completed` or `response.incomplete` (the answer, priced
 * from its usage). Without one of those, the stream did not end: it broke.
 */
export class ResponseAssembler implements StreamAssembler<ResponseStreamEvent> {
  text = '';
  /** The response of the last event, once it came. */
  response: Response | undefined;

  add(event: ResponseStreamEvent): void {
    if (event.type === 'response.output_text.delta' && typeof event.delta === 'string') this.text += event.delta;
    else if (event.type === 'response.completed' || event.type === 'response.incomplete') this.response = event.response;
  }

  get finished(): boolean {
    return this.response !== undefined;
  }
}

/** A Responses stream from one deployment. */
export type ResponseUpstreamStream = UpstreamStream<ResponseStreamEvent, ResponseAssembler>;

/**
 * How a Responses stream is read: its first event past the preamble ends the wait (before it, a
 * failure falls back unseen, as before a chat stream's first token); an `error` or `response.failed`
 * event is a failure, which `openai` 6.30 does not throw.
 */
export const responseStreamReading = Object.freeze<StreamReading<ResponseStreamEvent, ResponseAssembler>>({
  open: (call, live, options) =>
    live.client.responses.create(
      { ...(call.params as unknown as ResponseCreateParamsStreaming), model: live.deployment.model.id, stream: true },
      options,
    ),
  assembler: () => new ResponseAssembler(),
  check(event: ResponseStreamEvent): void {
    if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string')
      throw new InvalidResponseError('The provider streamed a malformed event: it has no type.');
    if (event.type === 'error') throw new InvalidResponseError(`The provider streamed an error: ${describe(event.message, event.code)}.`);
    if (event.type === 'response.failed') {
      const error = event.response?.error;
      throw new InvalidResponseError(`The response failed: ${describe(error?.message, error?.code)}.`);
    }
  },
  isToken: (event: ResponseStreamEvent) => !preamble.has(event.type),
});

/**
 * The events a provider sends before the model has produced anything: held, like a chat stream's
 * role chunk, so that a response that fails or hangs before its first output falls back unseen,
 * under `timeouts.firstTokenMs`, and `ttftMs` counts up to real output.
 */
const preamble: ReadonlySet<string> = new Set([
  'response.created',
  'response.queued',
  'response.in_progress',
  'response.output_item.added',
  'response.content_part.added',
]);

function describe(message: unknown, code: unknown): string {
  return `${typeof message === 'string' && message !== '' ? message : 'no reason given'} (${typeof code === 'string' ? code : 'no code'})`;
}
