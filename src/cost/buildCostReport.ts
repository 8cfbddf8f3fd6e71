import { costOf, fromPicoUsd, toPicoUsd } from '../catalog/costOf.js';
import { chatView } from '../catalog/chatModels.js';
import type { Catalog, ModelEntry } from '../catalog/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { section } from '../errors/checkOption.js';
import { showValue } from '../errors/showValue.js';
import type { CostReport, CostReportUsage, RepricedUsage } from './CostReport.js';
import type { UsageTally } from './UsageTally.js';

/** The month of every projection: 30 days. */
const monthMs = 30 * 24 * 60 * 60 * 1000;

/**
 * The cost report of a tally on a catalog's chat models; see {@link CostReport}.
 * @throws ConfigError naming `monthlyCalls` when it is not a finite number >= 0
 */
export function buildCostReport(catalog: Catalog, tally: UsageTally, options: unknown, now = Date.now()): CostReport {
  const { monthlyCalls: given } = section(options, 'costReport', ['monthlyCalls']);
  if (given !== undefined && (typeof given !== 'number' || !Number.isFinite(given) || given < 0)) {
    throw new ConfigError(
      'monthlyCalls',
      `must be a finite number >= 0, got ${showValue(given)}`,
      'Omit it to project from the calls observed since the client started.',
    );
  }
  const elapsedMs = Math.max(0, now - tally.since);
  const { calls } = tally;
  const monthlyCalls = given ?? (elapsedMs === 0 ? 0 : (calls * monthMs) / elapsedMs);
  // Spend per counted call, times the month's calls: rounded to the pico-dollar, as every amount here.
  const monthly = (usd: number): number => (calls === 0 ? 0 : fromPicoUsd(Math.round((toPicoUsd(usd) / calls) * monthlyCalls)));
  const usage: CostReportUsage = {
    inputTokens: tally.inputTokens,
    cachedInputTokens: tally.cachedInputTokens,
    outputTokens: tally.outputTokens,
  };
  const answersUsd = fromPicoUsd(tally.answersPico);
  const totalUsd = fromPicoUsd(tally.answersPico + tally.routingPico + tally.embeddingPico);
  const reprice = (model: ModelEntry): RepricedUsage => {
    const prices = {
      inputCostPerMTok: model.inputCostPerMTok,
      cachedInputCostPerMTok: model.cachedInputCostPerMTok ?? model.inputCostPerMTok,
      outputCostPerMTok: model.outputCostPerMTok ?? 0,
    };
    const costUsd = costOf(usage, prices);
    return {
      model: model.id,
      provider: model.provider,
      tier: model.tier,
      prices,
      costUsd,
      actualUsd: answersUsd,
      differenceUsd: fromPicoUsd(toPicoUsd(costUsd) - tally.answersPico),
      monthlyUsd: monthly(costUsd),
    };
  };
  const { deployments, tiers } = chatView(catalog);
  const byModel: Record<string, RepricedUsage> = {};
  for (const { model } of deployments) byModel[model.id] ??= reprice(model);
  const byTier: Record<string, RepricedUsage> = {};
  for (const tier of tiers) byTier[tier] = reprice(deployments.find((d) => d.tier === tier)!.model);
  return {
    since: tally.since,
    elapsedMs,
    calls,
    usage,
    actual: {
      answersUsd,
      routingUsd: fromPicoUsd(tally.routingPico),
      embeddingUsd: fromPicoUsd(tally.embeddingPico),
      totalUsd,
      monthlyUsd: monthly(totalUsd),
    },
    projectionBasis: given === undefined ? 'observedRate' : 'monthlyCalls',
    monthlyCalls,
    byModel,
    byTier,
  };
}
