import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { Call } from '../call/Call.js';
import { InvalidResponseError } from '../resilience/InvalidResponseError.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Redactor } from '../telemetry/Redactor.js';
import { attemptSender } from './attemptSender.js';

/**
 * The send step of an embeddings request: see {@link attemptSender}. Sent by the deployment's own
 * `openai` client, so its `encoding_format` handling (base64 on the wire, floats for the caller
 * who asked for none) is `openai`'s own.
 */
export function embeddingSender(redactor: Redactor): (call: Call, live: LiveDeployment) => Promise<CreateEmbeddingResponse> {
  return attemptSender(
    redactor,
    (call, live, options) =>
      live.client.embeddings.create({ ...(call.params as unknown as EmbeddingCreateParams), model: live.deployment.model.id }, options),
    checkEmbeddings,
  );
}

/** A 200 is not yet an answer: a gateway may send anything with it. */
function checkEmbeddings(data: CreateEmbeddingResponse): CreateEmbeddingResponse {
  if (
    typeof data !== 'object' ||
    data === null ||
    !Array.isArray(data.data) ||
    data.data.some((item) => typeof item !== 'object' || item === null)
  ) {
    throw new InvalidResponseError('The provider answered 200 without a list of embeddings.');
  }
  return data;
}
