/** tiered-llm/otel: OpenTelemetry instrumentation of a tiered client (needs `@opentelemetry/api`). */
export { instrumentOpenTelemetry } from './instrumentOpenTelemetry.js';

export type { OpenTelemetryOptions } from './instrumentOpenTelemetry.js';
