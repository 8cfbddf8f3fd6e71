import type { CostReport, RepricedUsage } from 'tiered-llm';

/** Dollars as a reader wants them: fractions of a cent for one run, whole dollars for a month. */
export function usd(value: number): string {
  if (value >= 100) return `$${value.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
  return `$${value.toFixed(value >= 1 ? 2 : 4)}`;
}

const calls = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n.toLocaleString('en-US', { maximumFractionDigits: 0 }));

/** "  your tokens on the warm tier alone (gpt-4.1): $0.0112, $2,480 a month". */
const onTier = (tier: string, r: RepricedUsage): string =>
  `  your tokens on the ${tier} tier alone (${r.model}): ${usd(r.costUsd)}, ${usd(r.monthlyUsd)} a month`;

/**
 * `client.costReport()` in words: what the answered calls' tokens cost, and what the same tokens
 * would cost on each tier alone, now and a month at the projected rate, priciest tier first.
 */
export function costLines(report: CostReport): string[] {
  const { actual, monthlyCalls, projectionBasis } = report;
  const basis = projectionBasis === 'observedRate' ? 'at the observed rate' : 'as given';
  const tiers = Object.entries(report.byTier).reverse();
  return [
    `cost report: ${report.calls} answered calls (cache hits not counted) cost ${usd(actual.totalUsd)}; ` +
      `${basis}, ${calls(monthlyCalls)} calls a month, ${usd(actual.monthlyUsd)} a month.`,
    ...tiers.map(([tier, r]) => onTier(tier, r)),
  ];
}
