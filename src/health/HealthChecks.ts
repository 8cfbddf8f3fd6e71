import type { SpendBudget, Payer } from '../budget/SpendBudget.js';
import type { Operation } from '../call/Operation.js';
import { isEmbeddingModel } from '../catalog/chatModels.js';
import type { ProviderConfig } from '../catalog/types.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Redactor } from '../telemetry/Redactor.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import { HealthProbe, type ProbeParts } from './HealthProbe.js';
import { ProbeRoom } from './ProbeRoom.js';
import type { RateLimiter } from '../limits/RateLimiter.js';
import { modelProbe, modelsProbe } from './probeRequests.js';
import { resolveHealthCheck } from './resolveHealthCheck.js';

/** What health checks need of the client. */
export interface HealthCheckParts {
  /** The catalog's providers, whose `healthCheck` says which deployments are probed, and how. */
  readonly providers: Readonly<Record<string, ProviderConfig>>;
  /** The catalog's deployments (passthrough models, made on demand, are not probed). */
  readonly deployments: readonly LiveDeployment[];
  readonly telemetry: Telemetry;
  readonly redactor: Redactor;
  readonly budget: SpendBudget | undefined;
  /** The deployments' limits, which a model probe (`kind: 'chat'`) needs room under, as a caller's request does. */
  readonly rateLimiter: RateLimiter;
}

const noOptions = Object.freeze({});

/**
 * The probes of every provider that sets `healthCheck`, started at once: one `GET /models` timer per
 * provider (`kind: 'models'`), or one timer per deployment (`kind: 'chat'`). Undefined when no
 * provider sets it: the feature off costs nothing.
 */
export function startHealthChecks(parts: HealthCheckParts): HealthChecks | undefined {
  const probes: HealthProbe[] = [];
  for (const [name, provider] of Object.entries(parts.providers)) {
    // Checked by defineCatalog already: this only fills in the defaults.
    const settings = resolveHealthCheck(provider.healthCheck, `providers.${name}.healthCheck`);
    const served = parts.deployments.filter((live) => live.deployment.provider === name);
    if (settings === undefined || served.length === 0) continue;
    if (settings.kind === 'models') {
      probes.push(new HealthProbe(settings, served, modelsProbe(served[0]!.client), false, probeParts(parts, name, 'chat')));
      continue;
    }
    for (const live of served) {
      const { deployment } = live;
      const reporting = probeParts(parts, deployment.key, isEmbeddingModel(deployment.model) ? 'embeddings' : 'chat');
      const room = new ProbeRoom(live, parts.rateLimiter);
      probes.push(new HealthProbe(settings, [live], modelProbe(live.client, deployment), true, { ...reporting, room }));
    }
  }
  if (probes.length === 0) return undefined;
  for (const probe of probes) probe.start();
  return new HealthChecks(probes);
}

/** A probe's reporting parts; its spend is charged to the budget as `health:<target>` (the default namespace's, with `budget.per: 'namespace'`). */
function probeParts(parts: HealthCheckParts, target: string, operation: Operation): ProbeParts {
  const { budget, telemetry, redactor } = parts;
  const payer: Payer = { requestId: `health:${target}`, operation, options: noOptions };
  return { telemetry, redactor, charge: budget === undefined ? () => {} : (usd) => budget.charge(payer, usd) };
}

/** The client's running health probes; `close()` stops them all. */
export class HealthChecks {
  constructor(private readonly probes: readonly HealthProbe[]) {}

  /** Stops every timer and aborts the probes in flight (their outcomes are dropped). */
  close(): void {
    for (const probe of this.probes) probe.close();
  }
}
