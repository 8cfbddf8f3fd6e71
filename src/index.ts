export { defineCatalog } from './catalog/defineCatalog.js';
export { costOf } from './catalog/costOf.js';
export { createTieredClient, TieredClient } from './client/TieredClient.js';
export { TieredPromise } from './client/TieredPromise.js';
export { configure, tieredChat } from './client/defaultClient.js';
export { TieredError } from './errors/TieredError.js';
export { ConfigError } from './errors/ConfigError.js';
export { AllModelsFailedError } from './errors/AllModelsFailedError.js';
export { StreamInterruptedError } from './errors/StreamInterruptedError.js';
export { ContextWindowError } from './errors/ContextWindowError.js';
export { BudgetExceededError } from './errors/BudgetExceededError.js';
export { ClientClosedError } from './errors/ClientClosedError.js';
export { StreamConsumedError } from './errors/StreamConsumedError.js';
export { MemoryBudgetStore } from './budget/MemoryBudgetStore.js';
export { MemoryRateLimitStore } from './limits/MemoryRateLimitStore.js';
export { TieredStream } from './client/TieredStream.js';
export { TieredResponseStream } from './client/TieredResponseStream.js';
export { LruCacheStore } from './cache/LruCacheStore.js';
export { JUDGE_RUBRIC, judgeMessages } from './quality/judgePrompt.js';
export { parseScore } from './quality/parseScore.js';

export type {
  Capability,
  Catalog,
  CatalogDefinition,
  ChatCapability,
  ChatModelEntry,
  ClientProviderConfig,
  ProviderName,
  Deployment,
  EmbeddingModelEntry,
  HealthCheckOptions,
  KeyedProviderConfig,
  ModelEntry,
  ModelEntryBase,
  ModelId,
  ModelLimits,
  ModelRef,
  ModelTier,
  ProviderConfig,
  ProviderConnections,
} from './catalog/types.js';
export type { BudgetStore, Reservation } from './budget/BudgetStore.js';
export type { RateLimitGrant, RateLimitStore, RateLimitWindow } from './limits/RateLimitStore.js';
export type { RateLimitOptions } from './limits/RateLimitOptions.js';
export type { RateLimitErrorEvent } from './limits/RateLimitErrorEvent.js';
export type { CacheStore } from './cache/CacheStore.js';
export type {
  SemanticIndexEntry,
  SemanticIndexFeed,
  SemanticIndexFollowOptions,
  SharedSemanticIndex,
} from './cache/SharedSemanticIndex.js';
export type { MetricsEntry, QualityMetrics, TieredMetrics } from './metrics/MetricsEntry.js';
export type { Feedback, FeedbackEvent } from './feedback/Feedback.js';
export type { Percentiles } from './metrics/WindowedHistogram.js';
export type { SloEvent } from './metrics/SloWatch.js';
export type { SloQualityTarget, SloTargets } from './metrics/SloTargets.js';
export type { SloMetric } from './metrics/sloObjectives.js';
export type { LruCacheStoreOptions } from './cache/LruCacheStore.js';
export type { ModelPrices, TokenUsage } from './catalog/costOf.js';
export type { ActualSpend, CostReport, CostReportOptions, CostReportUsage, RepricedUsage, RepricingPrices } from './cost/CostReport.js';
export type { DeploymentHealth } from './client/TieredClient.js';
export type {
  AnyFunctionsArgs,
  CheckedHelperParams,
  CheckedModel,
  RoutedParams,
  TieredChat,
  TieredChatCompletions,
} from './client/ChatResource.js';
export type { TieredEmbeddings } from './client/EmbeddingsResource.js';
export type { RoutedResponseParams, TieredResponses } from './client/ResponsesResource.js';
export type { WithResponse } from './client/TieredPromise.js';
export type {
  BudgetOptions,
  CacheOptions,
  ClassifierOptions,
  MetricsOptions,
  SemanticCacheOptions,
  ShadowJudge,
  ShadowOptions,
  RouteRequest,
  Router,
  TelemetryOptions,
  TieredClientOptions,
} from './client/options.js';
export type { BreakerOptions, DrainOptions, RetryOptions, TimeoutOptions } from './resilience/ResilienceOptions.js';
export type {
  TieredChatParams,
  TieredChatParamsNonStreaming,
  TieredChatParamsStreaming,
  TieredChatResult,
  TieredRequestOptions,
  WithModel,
} from './call/requests.js';
export type { TieredErrorCode, TieredErrorOptions } from './errors/TieredError.js';
export type { AllModelsFailedReason } from './errors/AllModelsFailedError.js';
export type { Attempt, AttemptErrorCode } from './call/Attempt.js';
export type { Operation } from './call/Operation.js';
export type { BreakerState } from './resilience/LiveDeployment.js';
export type { FallbackPolicy } from './routing/FallbackPolicy.js';
export type { LoadBalancing } from './routing/loadBalancing.js';
export type { RegionPreference, RegionsOptions } from './routing/RegionsOptions.js';
export type { AffinityKey, AffinityOption } from './routing/Affinity.js';
export type { ParsedScore } from './quality/parseScore.js';
export type {
  AttemptErrorEvent,
  AttemptStartEvent,
  BudgetErrorEvent,
  CacheCallErrorEvent,
  CacheErrorEvent,
  CacheEvent,
  FallbackEvent,
  RequestEndEvent,
  RequestErrorEvent,
  RequestMetadata,
  RequestStartEvent,
  RouteEvent,
  TieredEventName,
  TieredEvents,
} from './telemetry/events.js';
export type { RequestEvent } from './telemetry/RequestEvent.js';
export type { CacheShareErrorEvent } from './telemetry/CacheShareErrorEvent.js';
export type { BreakerEvent, DeploymentDrainEvent } from './telemetry/deploymentEvents.js';
export type { HealthProbeEvent } from './telemetry/deploymentEvents.js';
export type { ShadowDropReason, ShadowDroppedEvent, ShadowResultEvent } from './quality/shadowEvents.js';
export type { CostBreakdown } from './telemetry/CostBreakdown.js';
export type { TieredEventEmitter } from './telemetry/Telemetry.js';
