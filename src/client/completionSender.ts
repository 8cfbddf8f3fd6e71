import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { checkCompletion } from '../resilience/answerShape.js';
import type { Call } from '../call/Call.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Redactor } from '../telemetry/Redactor.js';
import { attemptSender } from './attemptSender.js';

/** The send step of a non-streaming chat request: see {@link attemptSender}. Made once per client. */
export function completionSender(redactor: Redactor): (call: Call, live: LiveDeployment) => Promise<ChatCompletion> {
  return attemptSender(
    redactor,
    (call, live, options) =>
      live.client.chat.completions.create(
        { ...call.params, model: live.deployment.model.id } as ChatCompletionCreateParamsNonStreaming,
        options,
      ),
    checkCompletion,
  );
}
