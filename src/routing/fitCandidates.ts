import type { Call } from '../call/Call.js';
import type { Capability } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { ContextWindowError } from '../errors/ContextWindowError.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { promptTokenCounter } from './promptTokens.js';
import { requiredCapabilities } from './requiredCapabilities.js';
import { walkMessages, type MessageVisitor } from '../call/messageParts.js';

const noNeeds: readonly Capability[] = [];

/**
 * The fit stage: of the candidates, those that can serve the request at all, before any network
 * call. A model whose catalog `capabilities` lack one the request uses (tools, vision, a JSON schema...)
 * is left out, and so is one whose context window cannot hold the prompt plus the requested output
 * (counted exactly where the model's tokenizer is known and the prompt small enough to tokenize without
 * blocking the event loop long; see promptTokens.ts).
 * @throws ConfigError naming the missing capability when no candidate has it
 * @throws ContextWindowError when no capable candidate is large enough
 */
export function fitCandidates(
  call: Call,
  candidates: readonly LiveDeployment[],
  /** False when no catalog model lists its capabilities: nothing to check then. */
  checkCapabilities: boolean,
): readonly LiveDeployment[] {
  // Other kinds are routed to deployments that serve them (routing/embeddingRoutes.ts), and their providers judge the size.
  if (call.kind.operation !== 'chat') return capableOf(call, candidates, call.kind.needs?.(call.params) ?? noNeeds);
  const { params } = call;
  const capable = capableOf(call, candidates, checkCapabilities ? requiredCapabilities(params) : noNeeds);
  const output = params.max_completion_tokens ?? params.max_tokens ?? 0;
  // Tool definitions and a response schema are prompt too: the provider puts them in it.
  const definitions = definitionTokens(params);
  // Fast path, for nearly every request: a bound no tokenizer can exceed fits the smallest window.
  let smallest = Number.POSITIVE_INFINITY;
  for (const live of capable) smallest = Math.min(smallest, live.deployment.model.contextWindow);
  if (tokenBound(params.messages) + definitions + output <= smallest) return capable;

  // Each encoding counts the prompt once; a prompt too large to tokenize quickly is estimated.
  const promptOf = promptTokenCounter(params.messages);
  const fitting = capable.filter((live) => {
    const prompt = promptOf(live.deployment.model.id);
    // Too large to tokenize: held at half its estimate (8 characters a token), so that only a prompt
    // that cannot fit is refused here; one that may not is sent, and the provider's context-length
    // error moves the call on to the next deployment.
    const held = prompt.tooLarge === true ? Math.ceil(prompt.tokens / 2) : prompt.tokens;
    return held + definitions + output <= live.deployment.model.contextWindow;
  });
  if (fitting.length > 0) return fitting;
  let largest = 0;
  let promptTokens = 0;
  for (const live of capable) {
    largest = Math.max(largest, live.deployment.model.contextWindow);
    promptTokens = Math.max(promptTokens, promptOf(live.deployment.model.id).tokens + definitions);
  }
  throw new ContextWindowError({
    requested: call.requested,
    promptTokens,
    maxOutputTokens: output,
    largestContextWindow: largest,
  });
}

/** The candidates that list every capability in `needs`. @throws ConfigError naming the missing ones when none does */
function capableOf(call: Call, candidates: readonly LiveDeployment[], needs: readonly Capability[]): readonly LiveDeployment[] {
  const capable = needs.length === 0 ? candidates : candidates.filter((live) => supports(live, needs));
  if (capable.length > 0) return capable;
  const missing = needs.filter((need) => !candidates.some((live) => supports(live, [need])));
  throw new ConfigError(
    'model',
    `no deployment for '${call.requested}' or its fallbacks supports ${(missing.length > 0 ? missing : needs).join(' and ')}`,
    'Add the capability to a model of the tier (catalog capabilities), or ask for a tier that has it.',
  );
}

function supports(live: LiveDeployment, needs: readonly Capability[]): boolean {
  const capabilities: readonly Capability[] | undefined = live.deployment.model.capabilities;
  return capabilities === undefined || needs.every((need) => capabilities.includes(need));
}

/**
 * Tokens of what the provider also puts in the prompt: tool definitions and a response schema (their
 * JSON, at about 4 characters a token). Costs a JSON.stringify only for requests that have them.
 */
function definitionTokens(params: { readonly tools?: unknown; readonly functions?: unknown; readonly response_format?: unknown }): number {
  let chars = 0;
  if (params.tools !== undefined) chars += JSON.stringify(params.tools)?.length ?? 0;
  if (params.functions !== undefined) chars += JSON.stringify(params.functions)?.length ?? 0;
  const format = params.response_format as { type?: unknown } | undefined | null;
  if (format !== undefined && format !== null && format.type === 'json_schema') chars += JSON.stringify(format).length;
  return Math.ceil(chars / 4);
}

/**
 * More tokens than any tokenizer makes of these messages: a BPE token holds at least one UTF-8 byte,
 * and a UTF-16 code unit is at most three; images, audio and files at an image's high-detail ceiling.
 */
function tokenBound(messages: readonly unknown[]): number {
  return walkMessages(messages, boundVisitor, { bound: 3 }).bound;
}

const PART_BOUND = 1_600;

const boundVisitor: MessageVisitor<{ bound: number }> = {
  message(state, _role, name) {
    state.bound += 8 + (name === undefined ? 0 : 3 * name.length);
  },
  text(state, text) {
    state.bound += 3 * text.length;
  },
  refusal(state, refusal) {
    state.bound += 3 * refusal.length;
  },
  image(state) {
    state.bound += PART_BOUND;
  },
  audio(state) {
    state.bound += PART_BOUND;
  },
  file(state) {
    state.bound += PART_BOUND;
  },
  other(state) {
    state.bound += PART_BOUND;
  },
  // The calls a model made are prompt too, once sent back.
  toolCall(state, name, input) {
    state.bound += 3 * (name.length + input.length);
  },
};
