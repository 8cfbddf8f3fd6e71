import { APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { attemptOptions } from '../catalog/ProviderClient.js';
import { rememberResponse } from './responses.js';
import { checkCompletion } from '../resilience/answerShape.js';
import { AttemptScope } from '../call/AttemptScope.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Call } from '../call/Call.js';
import type { Redactor } from '../telemetry/Redactor.js';

/**
 * The call stage of a non-streaming chat request (a `Send` for the fallback stage): one upstream
 * request through the breaker, under the attempt's time limit. Made once per client.
 */
export function completionSender(redactor: Redactor): (call: Call, live: LiveDeployment) => Promise<ChatCompletion> {
  return (call, live) => live.fire(() => send(redactor, call, live));
}

async function send(redactor: Redactor, call: Call, live: LiveDeployment): Promise<ChatCompletion> {
  const scope = new AttemptScope(call.scope, call.attemptTimeoutMs);
  try {
    const body = { ...call.params, model: live.deployment.model.id } as ChatCompletionCreateParamsNonStreaming;
    const { data, response } = await live.client.chat.completions
      .create(body, attemptOptions(live.client, call.upstream, scope))
      .withResponse();
    // Checked before anything reads it: a 200 is not yet an answer (some gateways send errors with it).
    const completion = checkCompletion(data, response.headers);
    rememberResponse(completion, response);
    return completion;
  } catch (error) {
    // A failed attempt may still hold its connection (a body that never ends): release it now.
    scope.cancel();
    // The breaker must see a timeout (it counts), not the abort that enforced it.
    if (scope.timedOut)
      throw new APIConnectionTimeoutError({ message: `Request timed out after ${call.attemptTimeoutMs} ms (timeouts.requestMs).` });
    if (call.scope.abortReason === 'deadline')
      throw new APIConnectionTimeoutError({ message: 'The call deadline passed (timeouts.deadlineMs).' });
    // openai reports an abort of its own controller as a timeout: a caller's abort must not count.
    if (call.scope.abortReason === 'caller') throw new APIUserAbortError();
    throw redactor.error(error);
  } finally {
    scope.dispose();
  }
}
