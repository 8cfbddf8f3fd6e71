/**
 * The default of every client option, in one table. The resolver of each section is given its part
 * of it (it lives beside its component, which must not import the client), and test/defaults.test.ts
 * holds each `@default` of the option types to it, so the docs cannot drift from the code.
 *
 * Not here, because they depend on the catalog or are objects made per client: `classifier.model`,
 * `metrics.baselineModel`, `cache.semantic.provider`, `cache.store`, `budget.store`, `budget.per`,
 * `shadow.judge`, `shadow.budgetUsd`, `rateLimit.store`, `defaultProvider` and `router`; their doc comments say in words what they default
 * to. Sections that are off unless given (`cache`, `budget`, `drain`, `classifier`, `slo`, `shadow`)
 * have here the defaults of their fields.
 */
export const defaults = deepFreeze({
  loadBalancing: 'ordered',
  affinity: 'conversation',
  fallback: 'escalate',
  qualityEscalation: false,
  unknownModels: 'reject',
  retry: { retries: 2, minTimeoutMs: 200, maxTimeoutMs: 5_000, factor: 2, maxRetryAfterMs: 10_000 },
  breaker: { errorThresholdPercentage: 50, volumeThreshold: 5, resetTimeoutMs: 30_000, rollingWindowMs: 10_000 },
  timeouts: { requestMs: 60_000, firstTokenMs: 10_000, idleMs: 30_000, deadlineMs: 120_000 },
  telemetry: { captureContent: false },
  cache: {
    maxEntries: 10_000,
    maxBytes: 64 * 2 ** 20,
    ttlMs: 3_600_000,
    policy: 'always',
    namespace: 'default',
    // As budget.timeoutMs and the Redis stores' own default (redis/RedisConnection.ts).
    timeoutMs: 250,
    semantic: { threshold: 0.95, maxEntries: 1_000 },
  },
  classifier: { timeoutMs: 2_000, maxEntries: 1_000 },
  drain: { p99Ms: 3_000, forMs: 120_000, cooldownMs: 60_000 },
  budget: { onExceeded: 'reject', defaultMaxOutputTokens: 1_024, timeoutMs: 250 },
  metrics: { windowMs: 60_000 },
  slo: { minRequests: 20, quality: { minSamples: 20 } },
  shadow: { maxConcurrent: 4 },
  rateLimit: { waitMs: 0 },
} as const);

/** The type of {@link defaults}: every value readonly, down to the leaves. */
export type Defaults = typeof defaults;

// Frozen all the way down: a resolver that mutated its section would change every later client.
function deepFreeze<T extends object>(table: T): T {
  for (const value of Object.values(table)) if (typeof value === 'object' && value !== null) deepFreeze(value);
  return Object.freeze(table);
}
