import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { TokenUsage } from '../catalog/costOf.js';

/** A complete answer as the cache keeps it: the completion and how it was obtained. */
export interface CachedAnswer {
  readonly completion: ChatCompletion;
  readonly model: string;
  readonly provider: string;
  readonly tier: string;
  readonly usage: TokenUsage;
  readonly usageEstimated: boolean;
  /** What the answer cost when it was fetched: what every hit saves. */
  readonly costUsd: number;
}

const storable: ReadonlySet<string> = new Set(['stop', 'length', 'tool_calls', 'function_call']);

/** Only complete answers are kept: never a content-filtered choice, never one without a finish reason. */
export function isStorable(completion: ChatCompletion): boolean {
  return completion.choices.length > 0 && completion.choices.every((choice) => storable.has(choice.finish_reason));
}

/** The compact form stores hold. */
export function serialize(answer: CachedAnswer): string {
  return JSON.stringify(answer);
}

/**
 * Reads a stored answer; undefined for anything that is not one (a foreign or older value under a
 * shared prefix), so that a bad entry is a miss, not a crash. Each read is a fresh object: callers
 * may mutate what they get without touching the cache.
 */
export function deserialize(value: string): CachedAnswer | undefined {
  try {
    const answer = JSON.parse(value) as Partial<CachedAnswer> | null;
    if (answer === null || typeof answer !== 'object' || typeof answer.completion !== 'object' || typeof answer.model !== 'string')
      return undefined;
    return answer as CachedAnswer;
  } catch {
    return undefined;
  }
}
