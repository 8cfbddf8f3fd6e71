import { TieredError, type TieredClient, type TieredRequestOptions } from 'tiered-llm';
import type { EvalCase } from '../EvalCase.js';
import type { EvalTarget } from '../EvalTarget.js';
import { noUsage, type RunRecord } from './RunRecord.js';

/**
 * How each model is asked: directly, on its own deployment. No fallback (another model's answer
 * would be scored as this one's), no cache (a repeat must be a new answer), no quality escalation;
 * retries, breakers and timeouts as the client has them.
 */
export function directOptions(target: EvalTarget, signal: AbortSignal | undefined): TieredRequestOptions {
  return {
    fallback: 'none',
    providers: { only: [target.deployment.provider] },
    cache: false,
    qualityEscalation: false,
    ...(signal === undefined ? {} : { signal }),
  };
}

/** The router's runs: the client's own `'auto'` routing, fallback and all, only without the cache. */
export function routedOptions(signal: AbortSignal | undefined): TieredRequestOptions {
  return { cache: false, ...(signal === undefined ? {} : { signal }) };
}

/**
 * One call of one case: the answer with its exact cost, or the error that ended it. Resolves
 * `undefined` when the evaluation was aborted: an unanswered run is left out, not counted as failed.
 */
export async function askModel(
  client: TieredClient,
  c: EvalCase,
  model: string,
  repeat: number,
  options: TieredRequestOptions,
  target?: EvalTarget,
): Promise<RunRecord | undefined> {
  const started = performance.now();
  try {
    const result = await client.tieredChat({ model, messages: c.messages as never }, options);
    const run: RunRecord = {
      repeat,
      text: result.text,
      costUsd: result.costUsd,
      latencyMs: tenths(result.latencyMs),
      usage: result.usage,
      answeredBy: `${result.provider}/${result.model}`,
      tier: result.tier,
    };
    // A budget downgrade could still move a direct call: its answer is then not this model's.
    if (target !== undefined && run.answeredBy !== target.deployment.key) {
      run.error = { code: 'REROUTED', message: `answered by ${run.answeredBy}, not ${target.deployment.key} (a budget downgrade?)` };
    }
    return run;
  } catch (error) {
    if (options.signal?.aborted === true) return undefined;
    return {
      repeat,
      text: '',
      costUsd: 0,
      latencyMs: tenths(performance.now() - started),
      usage: noUsage,
      error: { code: codeOf(error), message: error instanceof Error ? error.message : String(error) },
    };
  }
}

function codeOf(error: unknown): string {
  if (TieredError.isInstance(error)) return error.code;
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status === 'number') return `HTTP_${status}`;
  return error instanceof Error ? error.name : 'ERROR';
}

/** Latency to a tenth of a millisecond: finer is noise, and it keeps results.json readable. */
function tenths(ms: number): number {
  return Math.round(ms * 10) / 10;
}
