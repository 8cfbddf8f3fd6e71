import type { Response, ResponseCreateParams } from 'openai/resources/responses/responses';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import { responsesKind } from './kinds/responsesKind.js';
import { fail, prepare, settleHit, settleStored, type Held } from './pipeline.js';
import { openCall } from './openCall.js';
import { priceResponse } from './priceResponse.js';
import type { Stages } from './Stages.js';

/**
 * A non-streaming Responses API call through the same stages as a chat call (client/pipeline.ts),
 * with its own route (deployments with the capability `'responses'`; a stateful request pinned to
 * the deployment that holds its state: see ResponseOwners.ts), send and price steps.
 */
export async function runResponses(
  stages: Stages,
  params: ResponseCreateParams,
  options: TieredRequestOptions | undefined,
): Promise<TieredChatResult> {
  const call = openCall(stages, params as unknown as TieredChatParams, options, responsesKind);
  let held: Held | undefined;
  try {
    const preparing = prepare(stages, call, true);
    const prepared = preparing instanceof Promise ? await preparing : preparing;
    if (prepared.hit !== undefined) return settleHit(stages, call, prepared.hit);
    held = prepared;
    const { live, value } = await stages.fallback.run(call, prepared.candidates, stages.sendResponse);
    stages.responseOwners.remember(value as Response, params, live);
    const result = settleStored(stages, call, prepared, priceResponse(live.deployment, value, params));
    return result instanceof Promise ? await result : result;
  } catch (error) {
    fail(stages, call, held, error);
    throw error;
  } finally {
    call.scope.dispose();
  }
}
