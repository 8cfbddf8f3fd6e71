import type { Catalog, MetricsEntry, TieredMetrics } from 'tiered-llm';

/** One deployment's line of the report. */
export interface DeploymentRow {
  readonly tier: string;
  /** `provider/model`, the key of `metrics().byDeployment`. */
  readonly deployment: string;
  readonly region: string;
  /** Undefined until a call has ended on it. */
  readonly entry: MetricsEntry | undefined;
  /** Tries that failed on it, those a fallback then hid included. */
  readonly failedTries: number;
}

/**
 * Every deployment of the catalog, cheapest tier first and in catalog order within a tier, so that
 * a sick region sits next to its healthy twin, and one that never served a call still shows.
 */
export function deploymentRows(catalog: Catalog, metrics: TieredMetrics, failedTries: ReadonlyMap<string, number>): DeploymentRow[] {
  return [...catalog.deployments]
    .sort((a, b) => a.tierIndex - b.tierIndex)
    .map((d) => ({
      tier: d.tier,
      deployment: d.key,
      region: d.model.region ?? '-',
      entry: metrics.byDeployment[d.key],
      failedTries: failedTries.get(d.key) ?? 0,
    }));
}

// Cache hits take microseconds: show them as such rather than as 0 ms. No sample: a dash, not a fast 0.
const ms = (value: number | null | undefined): string =>
  value === null || value === undefined ? '-' : value >= 10 ? value.toFixed(0) : value.toFixed(3);

const percent = (rate: number | null | undefined): string => (rate === null || rate === undefined ? '-' : `${(rate * 100).toFixed(0)}%`);

const score = (value: number | null | undefined): string => (value === null || value === undefined ? '-' : value.toFixed(2));

/** The rows as a Markdown table: cost, speed and failures, then quality (user thumbs, shadow scores). */
export function markdownTable(rows: readonly DeploymentRow[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const header = [
    'tier',
    'deployment',
    'region',
    'calls',
    'failed tries',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'cost $',
    'cache hits',
    'fallbacks',
    'breaker opens',
    'feedback',
    'thumbs up',
    'shadows',
    'shadow score',
  ];
  return [
    line(header),
    line(header.map((_, i) => (i < 3 ? '---' : '---:'))),
    ...rows.map(({ tier, deployment, region, entry: e, failedTries }) => {
      const served = e !== undefined && e.requests > e.errors;
      return line([
        tier,
        deployment,
        region,
        String(e?.requests ?? 0),
        String(failedTries),
        served ? ms(e.latencyMs.p50) : '-',
        served ? ms(e.latencyMs.p95) : '-',
        served ? ms(e.latencyMs.p99) : '-',
        (e?.costUsd ?? 0).toFixed(4),
        e === undefined || e.requests === 0 ? '-' : percent(e.cacheHitRate),
        String(e?.fallbacks ?? 0),
        String(e?.breakerOpens ?? 0),
        String(e?.quality.feedbackCount ?? 0),
        percent(e?.quality.thumbsUpRate),
        String(e?.quality.shadowCount ?? 0),
        score(e?.quality.shadowScore),
      ]);
    }),
  ];
}
