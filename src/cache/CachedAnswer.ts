import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { TokenUsage } from '../catalog/costOf.js';

/** A complete answer as the cache keeps it: the completion and how it was obtained. */
export interface CachedAnswer {
  /** The answer's body: a `ChatCompletion` for chat; for another kind of request, its own (see `RequestKind`). */
  readonly completion: ChatCompletion;
  readonly model: string;
  readonly provider: string;
  readonly tier: string;
  readonly usage: TokenUsage;
  readonly usageEstimated: boolean;
  /** What the answer cost when it was fetched: what every hit saves. */
  readonly costUsd: number;
}

const storable: ReadonlySet<string> = new Set(['stop', 'length', 'tool_calls']);
/** Bumped when the stored form changes: older values then read as misses. */
const format = 1;

/** Only complete answers are kept: never a content-filtered choice, never one without a finish reason. */
export function isStorable(completion: ChatCompletion): boolean {
  return completion.choices.length > 0 && completion.choices.every((choice) => storable.has(choice.finish_reason));
}

/** The compact form stores hold. */
export function serialize(answer: CachedAnswer): string {
  return JSON.stringify({ format, ...answer });
}

/**
 * Reads a stored answer; undefined for anything that is not one (a foreign or older value under a
 * shared prefix, or an answer of another kind than `isBody` accepts), so that a bad entry is a miss,
 * not a crash. Each read is a fresh object: callers may mutate what they get without touching the cache.
 */
export function deserialize(value: string, isBody: (body: unknown) => boolean): CachedAnswer | undefined {
  try {
    const answer = JSON.parse(value) as (Partial<CachedAnswer> & { format?: unknown }) | null;
    return isAnswer(answer) && isBody(answer.completion) ? answer : undefined;
  } catch {
    return undefined;
  }
}

/** A value under a shared prefix may be anything (another version, another app): check what we rely on. */
function isAnswer(value: (Partial<CachedAnswer> & { format?: unknown }) | null): value is CachedAnswer {
  if (value === null || typeof value !== 'object' || value.format !== format) return false;
  const { usage } = value;
  return (
    typeof value.model === 'string' &&
    typeof value.provider === 'string' &&
    typeof value.tier === 'string' &&
    typeof value.costUsd === 'number' &&
    typeof value.usageEstimated === 'boolean' &&
    typeof usage === 'object' &&
    usage !== null &&
    typeof usage.inputTokens === 'number' &&
    typeof usage.outputTokens === 'number' &&
    typeof usage.cachedInputTokens === 'number'
  );
}
