/** The chart's cost axis: positions and labelled ticks over the plotted costs. */
export interface CostScale {
  readonly log: boolean;
  /** 0..1 along the axis, cheapest at 0. */
  position(usd: number): number;
  readonly ticks: readonly number[];
}

/**
 * A log scale when the costs spread over more than 10x (a cheap tier and a hot one often differ by
 * 50x, and a linear axis would squeeze every cheap model into one corner), else a linear one.
 */
export function costScale(costs: readonly number[]): CostScale {
  const positive = costs.filter((c) => c > 0);
  const min = Math.min(...costs);
  const max = Math.max(...costs);
  if (positive.length === costs.length && costs.length > 0 && max / min > 10) return logScale(min, max);
  return linearScale(Math.min(0, min), max > 0 ? max : 1e-6);
}

function logScale(min: number, max: number): CostScale {
  // Some room on both sides, so that no point sits on an axis.
  const [lo, hi] = [Math.log10(min) - 0.2, Math.log10(max) + 0.2];
  const position = (usd: number): number => (Math.log10(usd) - lo) / (hi - lo);
  const ticks: number[] = [];
  const decades = Math.ceil(hi) - Math.floor(lo);
  const steps = decades <= 2 ? [1, 2, 5] : decades <= 4 ? [1, 3] : [1];
  for (let exponent = Math.floor(lo); exponent <= Math.ceil(hi); exponent++) {
    for (const step of steps) {
      const tick = Number((step * 10 ** exponent).toPrecision(12)); // 10 ** -5 is 0.000009999...: not a tick label
      const at = position(tick);
      if (at >= 0 && at <= 1) ticks.push(tick);
    }
  }
  return { log: true, position, ticks };
}

function linearScale(min: number, max: number): CostScale {
  const step = niceStep((max - min) / 5);
  const [lo, hi] = [Math.floor(min / step) * step, Math.ceil((max * 1.1) / step) * step];
  const position = (usd: number): number => (usd - lo) / (hi - lo);
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step / 1e6; i++) ticks.push(lo + i * step);
  return { log: false, position, ticks };
}

/** 1, 2 or 5 times a power of ten, at least `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const mantissa = [1, 2, 5, 10].find((m) => m * power >= rough) ?? 10;
  return mantissa * power;
}
