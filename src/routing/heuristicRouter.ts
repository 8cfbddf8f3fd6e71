import { walkMessages, type MessageVisitor } from '../call/messageParts.js';
import { ConfigError } from '../errors/ConfigError.js';

/**
 * A router for `model: 'auto'` that needs no model call: a complexity score of features read from the
 * request, mapped onto the tiers from cheapest to priciest.
 *
 * | feature                                   | points    |
 * | ----------------------------------------- | --------- |
 * | multi-step reasoning cues                 | 3         |
 * | code                                      | 2         |
 * | prompt over 2k / 8k / 32k tokens          | 1 / 2 / 3 |
 * | tools offered                             | 1         |
 * | a JSON schema for the answer              | 1         |
 * | a conversation of more than 8 messages    | 1         |
 * | max output over 1k / 4k tokens            | 1 / 2     |
 *
 * Reasoning weighs most because it is what cheap models fail at; code next; the rest only says the
 * request is bigger or more constrained. Score 0 goes to the cheapest tier, {@link SATURATION} or more to
 * the priciest, and scores between are spread linearly and rounded: with 4 tiers, 1–2 points go to the
 * second, 3–4 to the third; with 2 tiers, 3 points or more go to the pricier. So chit-chat and short
 * factual questions stay cheapest, and a multi-step proof about code (3 + 2) reaches the priciest tier.
 */

/** A routing decision and why. */
export interface RouteDecision {
  readonly tier: string;
  /** The features that counted, e.g. 'code, multi-step reasoning, 14k prompt tokens'. */
  readonly reason: string;
}

/** Features of a request that predict how capable a model it needs. */
export interface RequestFeatures {
  promptTokens: number;
  /** How many messages the conversation has. */
  messages: number;
  /** Code in the last user message, or a fenced code block anywhere in the conversation. */
  code: boolean;
  /** Multi-step reasoning cues in the last user message. */
  reasoning: boolean;
  /** Tools are offered. */
  tools: boolean;
  /** `response_format` is a JSON schema. */
  jsonSchema: boolean;
  /** `max_completion_tokens`, else `max_tokens`, if set. */
  maxOutputTokens: number | undefined;
}

/** The score from which the priciest tier is chosen. */
export const SATURATION = 5;

const FENCE = /```/;
// Shapes code has and prose has not; plus requests to write or fix code.
const CODE_CUES = [
  /\b(?:def|fn|func)\s+\w+\s*\(/,
  /\bfunction\s*\w*\s*\([^)]*\)\s*\{/,
  /\b(?:const|let|var)\s+\w+\s*=/,
  /^\s*(?:import\s+[\w{*]|from\s+\S+\s+import\b|#include\s*<|package\s+\w+;|using\s+[\w.]+;)/m,
  /\bclass\s+\w+\s*(?:[:{(]|extends\b)/,
  /\w\s*=>\s*[\w{(]|\w+\([^()\n]*\)\s*;\s*$/m,
  /\bSELECT\b[\s\S]+\bFROM\b/,
  /\b(?:write|implement|refactor|debug|fix|optimi[sz]e)\b.{0,40}\b(?:function|method|class|script|program|code|query|regex|unit tests?)\b/i,
  /\b(?:stack ?trace|traceback|segfault|compiler error|syntax error|TypeError|NullPointerException)\b/i,
];
/** Above this share of code symbols among non-space characters, a long enough text is code. */
const SYMBOL_DENSITY = 0.12;
// Any one of these asks for more than recall.
const STRONG_REASONING = [
  /\bstep[- ]by[- ]step\b/i,
  /\b(?:prove|proof|theorem|lemma|derive|derivation)\b/i,
  /\banaly[sz](?:e|is)\b/i,
  /\b(?:compare|comparison|trade-?offs?|pros and cons)\b/i,
  /\b(?:plan|architecture|architect)\b/i,
  /\b(?:justify|evaluate|critique)\b/i,
  /(?:^|\n)\s*3[.)]\s/, // a numbered list of three or more steps
];
// Each of these is also common in simple questions ('Why is the sky blue?'): two are needed.
const WEAK_REASONING = [/\bwhy\b[^?]*\?/i, /\bhow (?:would|should|could|can I)\b/i, /\bwhat (?:if|would happen)\b/i, /\bimplications?\b/i];

/** Extracts the features from the request; cues are read from the last user message, which says what is asked now. */
export function requestFeatures(
  request: {
    messages: readonly unknown[];
    tools?: unknown;
    response_format?: unknown;
    max_tokens?: number | null;
    max_completion_tokens?: number | null;
  },
  promptTokens: number,
): RequestFeatures {
  const lastUser = request.messages.findLast(isUserMessage);
  const asked = lastUser === undefined ? '' : walkMessages([lastUser], joinedText, { text: '', first: true }).text;
  const format = request.response_format as { type?: unknown } | null | undefined;
  return {
    promptTokens,
    messages: request.messages.length,
    code: looksLikeCode(asked) || walkMessages(request.messages, fences, { fenced: false }).fenced,
    reasoning: STRONG_REASONING.some((cue) => cue.test(asked)) || WEAK_REASONING.filter((cue) => cue.test(asked)).length >= 2,
    tools: Array.isArray(request.tools) && request.tools.length > 0,
    jsonSchema: format?.type === 'json_schema',
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
  };
}

/** Picks a tier from the cheapest (index 0) to the priciest by the complexity score of the features (see the module comment). */
export function heuristicTier(features: RequestFeatures, tiers: readonly string[]): RouteDecision {
  const counted = scored(features);
  const score = counted.reduce((sum, [points]) => sum + points, 0);
  const index = Math.round((Math.min(score, SATURATION) / SATURATION) * (tiers.length - 1));
  const tier = tiers[index];
  if (tier === undefined) throw new ConfigError('tiers', 'the router needs at least one tier', 'Define a catalog with at least one tier.');
  const reason = counted.length === 0 ? 'no complexity cues' : counted.map(([, why]) => why).join(', ');
  return { tier, reason };
}

function scored(f: RequestFeatures): Array<[points: number, why: string]> {
  const counted: Array<[number, string]> = [];
  const add = (points: number, why: string): void => {
    if (points > 0) counted.push([points, why]);
  };
  add(f.code ? 2 : 0, 'code');
  add(f.reasoning ? 3 : 0, 'multi-step reasoning');
  add(steps(f.promptTokens, [2_000, 8_000, 32_000]), `${thousands(f.promptTokens)} prompt tokens`);
  add(f.tools ? 1 : 0, 'tools');
  add(f.jsonSchema ? 1 : 0, 'JSON schema');
  add(f.messages > 8 ? 1 : 0, `${f.messages} messages`);
  add(steps(f.maxOutputTokens ?? 0, [1_000, 4_000]), `${thousands(f.maxOutputTokens ?? 0)} output tokens`);
  return counted;
}

/** How many of the ascending `thresholds` the value exceeds. */
function steps(value: number, thresholds: readonly number[]): number {
  return thresholds.filter((threshold) => value > threshold).length;
}

function thousands(tokens: number): string {
  return `${Math.round(tokens / 1000)}k`;
}

function looksLikeCode(text: string): boolean {
  if (FENCE.test(text) || CODE_CUES.some((cue) => cue.test(text))) return true;
  const visible = text.replace(/\s/g, '');
  // Short texts are too few characters for a density to mean anything ('Hi :)').
  return visible.length >= 40 && (visible.match(/[{}()[\];=<>|&$*+\\]/g)?.length ?? 0) / visible.length > SYMBOL_DENSITY;
}

function isUserMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && 'role' in message && message.role === 'user';
}

/** A message's text: string content, or its text parts joined by line breaks. */
const joinedText: MessageVisitor<{ text: string; first: boolean }> = {
  text(state, text) {
    state.text = state.first ? text : `${state.text}\n${text}`;
    state.first = false;
  },
};

// A fence is on one line: testing a message's parts one by one misses none.
const fences: MessageVisitor<{ fenced: boolean }> = {
  text(state, text) {
    if (!state.fenced && FENCE.test(text)) state.fenced = true;
  },
};
