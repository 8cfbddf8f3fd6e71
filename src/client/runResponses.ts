import type { Response, ResponseCreateParams } from 'openai/resources/responses/responses';
import type { CachedAnswer } from '../cache/CachedAnswer.js';
import type { Call } from '../call/Call.js';
import type { TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { responsesKind } from './kinds/responsesKind.js';
import { runRequest } from './pipeline.js';
import { priceResponse } from './priceResponse.js';
import type { Stages } from './Stages.js';

/**
 * A non-streaming Responses API call through the same stages as a chat call (client/pipeline.ts),
 * with its own route (deployments with the capability `'responses'`; a stateful request pinned to
 * the deployment that holds its state: see ResponseOwners.ts), send and price steps.
 */
export function runResponses(
  stages: Stages,
  params: ResponseCreateParams,
  options: TieredRequestOptions | undefined,
): Promise<TieredChatResult> {
  return runRequest(stages, params, options, responsesKind, stages.sendResponse, answered);
}

/** The price step, which also remembers the deployment that holds the response, for the requests that continue it. */
function answered(stages: Stages, call: Call, live: LiveDeployment, response: Response): CachedAnswer {
  stages.responseOwners.remember(response, call.params as unknown as ResponseCreateParams, live);
  return priceResponse(live.deployment, response, call.params);
}
