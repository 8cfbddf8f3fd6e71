import type { MockReplyFunction } from 'tiered-llm/testing';
import { JUDGE_RUBRIC } from 'tiered-llm';
import { judgeReply, lastUserText } from './demoJudge.js';
import type { DemoModelId } from './demoModels.js';
import { DEMO_SCRIPT, type DemoScriptedCase } from './demoScript.js';

type Message = { readonly role?: unknown; readonly content?: unknown };

const casesByPrompt = new Map<string, DemoScriptedCase>(DEMO_SCRIPT.map((scripted) => [lastUserText(scripted), scripted]));

/**
 * How one demo model answers, after `latencyMs`: a judge request (its system message is exactly
 * `JUDGE_RUBRIC`) with the demo judge's verdict; a shipped case, found by its last user message, with
 * the model's scripted answer; anything else with a line saying it has no scripted answer.
 */
export function replyAs(model: DemoModelId, latencyMs: number): MockReplyFunction {
  return (request) => {
    const messages = messagesOf(request.body);
    if (messages[0]?.role === 'system' && messages[0].content === JUDGE_RUBRIC) {
      return { content: judgeReply(textOf(messages.at(-1))), latencyMs };
    }
    const asked = textOf(messages.findLast((message) => message.role === 'user'));
    const scripted = casesByPrompt.get(asked);
    return { content: scripted?.answers[model].text ?? `${model} has no scripted answer to this question.`, latencyMs };
  };
}

function messagesOf(body: unknown): readonly Message[] {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  return Array.isArray(messages) ? (messages as Message[]) : [];
}

/** A message's text: its string content, or its text parts joined. */
function textOf(message: Message | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: unknown; text?: unknown }) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}
