import { APIConnectionTimeoutError, APIUserAbortError, type APIPromise } from 'openai';
import type OpenAI from 'openai';
import { attemptOptions } from '../catalog/ProviderClient.js';
import { AttemptScope } from '../call/AttemptScope.js';
import type { Call } from '../call/Call.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Redactor } from '../telemetry/Redactor.js';
import { rememberResponse } from './responses.js';
import { noteRateLimitHeaders } from '../limits/rateLimitHeaders.js';

/** One upstream request of a kind: the deployment's own `openai` call, given the request options of the attempt. */
export type UpstreamRequest<T> = (call: Call, live: LiveDeployment, options: OpenAI.RequestOptions) => APIPromise<T>;

/** Checks a 200's body before anything reads it (a gateway may send an error with it); throws when it is not an answer. */
export type AnswerCheck<T> = (data: T, headers: Headers) => T;

/**
 * The send step of a non-streaming request of any kind (a `Send` for the fallback stage): one
 * upstream request through the deployment's breaker, under the attempt's time limit, its body
 * checked, its HTTP response remembered for `withResponse()`. Made once per client and kind.
 */
export function attemptSender<T extends object>(
  redactor: Redactor,
  request: UpstreamRequest<T>,
  check: AnswerCheck<T>,
): (call: Call, live: LiveDeployment) => Promise<T> {
  const send = async (call: Call, live: LiveDeployment): Promise<T> => {
    const scope = new AttemptScope(call.scope, call.attemptTimeoutMs);
    try {
      const { data, response } = await request(call, live, attemptOptions(live.client, call.upstream, scope)).withResponse();
      noteRateLimitHeaders(live, response.headers);
      const answer = check(data, response.headers);
      rememberResponse(answer, response);
      return answer;
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
  };
  return (call, live) => live.fire(() => send(call, live));
}
