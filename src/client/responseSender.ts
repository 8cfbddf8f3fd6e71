import type { Response, ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import type { Call } from '../call/Call.js';
import { errorInBody } from '../resilience/answerShape.js';
import { InvalidResponseError } from '../resilience/InvalidResponseError.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Redactor } from '../telemetry/Redactor.js';
import { attemptSender } from './attemptSender.js';

/**
 * The send step of a non-streaming Responses request: see {@link attemptSender}. Sent by the
 * deployment's own `openai` client, so the answer already has `openai`'s `output_text`.
 */
export function responseSender(redactor: Redactor): (call: Call, live: LiveDeployment) => Promise<Response> {
  return attemptSender(
    redactor,
    (call, live, options) =>
      live.client.responses.create(
        { ...(call.params as unknown as ResponseCreateParamsNonStreaming), model: live.deployment.model.id, stream: false },
        options,
      ),
    checkResponse,
  );
}

/** A 200 is not yet an answer: a gateway may send anything with it, and a `failed` response answered nothing. */
function checkResponse(data: Response, headers: Headers): Response {
  if (typeof data !== 'object' || data === null || data.object !== 'response' || !Array.isArray(data.output)) {
    throw errorInBody(data, headers) ?? new InvalidResponseError('The provider answered 200 with no response object.');
  }
  if (data.status === 'failed') {
    throw new InvalidResponseError(`The response failed: ${data.error?.message ?? 'no reason given'} (${data.error?.code ?? 'no code'}).`);
  }
  return data;
}
