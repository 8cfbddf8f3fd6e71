import { ConfigError, type Catalog } from 'tiered-llm';
import type { EvalCase } from './EvalCase.js';
import type { EvalOptions } from './EvalOptions.js';
import type { EvalReport } from './EvalReport.js';
import { referenceOf, selectTargets, type EvalTarget } from './EvalTarget.js';
import { checkCases } from './cases/parseCases.js';
import { Judge } from './judge/Judge.js';
import { resolveEvalOptions } from './resolveEvalOptions.js';
import { askModel, directOptions, routedOptions } from './run/askModel.js';
import { previousRuns } from './run/previousRuns.js';
import { runPool } from './run/runPool.js';
import { ROUTER, type RunRecord } from './run/RunRecord.js';
import { RunTable } from './run/RunTable.js';
import { scoreRuns } from './run/scoreRuns.js';
import { SchemaChecks } from './scoring/SchemaChecks.js';
import { recommend } from './summary/recommend.js';
import { caseResults, modelSummary, routerSummary } from './summary/summarize.js';

/** What the model runs leave out, said in every report. */
export const EVAL_METHOD =
  'Each case went to each model directly, on its first deployment: no fallback, no cache, no routing, no budget downgrade, no quality escalation; retries on.';

/** One call to make: a case on a model (or the router), one repeat. */
interface Task {
  readonly c: EvalCase;
  readonly label: string;
  readonly model: string;
  readonly repeat: number;
  readonly target: EvalTarget | undefined;
}

/**
 * Runs every case on every selected model (and, with `route: 'auto'`, through the client's router),
 * scores the answers, and reports cost, latency and quality side by side with a recommendation.
 * Everything is checked before the first call.
 * @throws ConfigError for bad options, cases or model names, before any call.
 */
export async function evaluate(options: EvalOptions): Promise<EvalReport> {
  const settings = resolveEvalOptions(options);
  const { client, repeat, concurrency } = settings;
  try {
    const cases = checkCases(options.cases);
    const catalog = client.catalog as Catalog;
    const targets = selectTargets(catalog, options.models);
    if (options.judge !== undefined) checkJudge(catalog, options.judge);
    const schemas = await SchemaChecks.compile(cases);
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const { signal, onProgress } = options;
    const labels = targets.map((t) => t.label);
    const reference = referenceOf(targets);

    const table = new RunTable(cases);
    const reused = previousRuns(options.previous);
    const tasks: Task[] = [];
    let reusedCount = 0;
    // Each run is taken from the earlier report when its case, model (on the same deployment) and repeat answered there, else asked.
    const plan = (task: Task): void => {
      const old = reused.take(task.c.hash, task.label, task.repeat);
      if (old === undefined || (task.target !== undefined && old.answeredBy !== task.target.deployment.key)) tasks.push(task);
      else {
        table.add(task.c, task.label, old);
        reusedCount++;
      }
    };
    for (const c of cases) {
      for (let r = 0; r < repeat; r++) {
        for (const target of targets) plan({ c, label: target.label, model: target.deployment.model.id, repeat: r, target });
        if (options.route === 'auto') plan({ c, label: ROUTER, model: 'auto', repeat: r, target: undefined });
      }
    }

    const direct = new Map(targets.map((t) => [t.label, directOptions(t, signal)]));
    const routed = routedOptions(signal);
    const total = tasks.length + reusedCount;
    let done = reusedCount;
    let errors = 0;
    await runPool(tasks, concurrency, signal, async (task) => {
      const run: RunRecord | undefined = await askModel(
        client,
        task.c,
        task.model,
        task.repeat,
        direct.get(task.label) ?? routed,
        task.target,
      );
      if (run === undefined) return;
      table.add(task.c, task.label, run);
      if (run.error !== undefined) errors++;
      onProgress?.({ phase: 'answers', done: ++done, total, errors, reused: reusedCount });
    });

    // Made even when aborted: it then grades nothing, and the judgements reused from `previous` stay.
    const judge = options.judge === undefined ? undefined : new Judge(client, options.judge, judgeModel(catalog, options.judge), signal);
    await scoreRuns({
      table,
      labels: options.route === 'auto' ? [...labels, ROUTER] : labels,
      schemas,
      judge,
      reference: reference.label,
      concurrency,
      signal,
      onJudged: (judged, judgements) => onProgress?.({ phase: 'judge', done: judged, total: judgements, errors, reused: reusedCount }),
    });

    const models = targets.map((t) => modelSummary(t, table.all(t.label)));
    const router = options.route === 'auto' ? routerSummary(table.all(ROUTER), models[targets.indexOf(reference)]!) : undefined;
    const monthly = options.monthlyCalls;
    return {
      version: 1,
      startedAt,
      durationMs: Date.now() - started,
      aborted: signal?.aborted === true,
      settings: {
        models: labels,
        ...(options.judge === undefined ? {} : { judge: options.judge }),
        ...(options.route === undefined ? {} : { route: options.route }),
        repeat,
        concurrency,
        ...(monthly === undefined ? {} : { monthlyCalls: monthly }),
        minQualityRatio: settings.minQualityRatio,
        method: EVAL_METHOD,
      },
      models,
      cases: caseResults(table, labels, options.route === 'auto'),
      ...(judge === undefined ? {} : { judge: judge.summary() }),
      ...(router === undefined ? {} : { router }),
      recommendation: recommend(table, targets, settings.minQualityRatio),
      ...(monthly === undefined ? {} : { projection: projectionOf(models, router?.costPerCaseUsd ?? null, monthly) }),
    };
  } finally {
    if (settings.owned) await client.close();
  }
}

function checkJudge(catalog: Catalog, judge: unknown): void {
  if (typeof judge === 'string' && (catalog.tiers.includes(judge) || catalog.models.some((m) => m.id === judge))) return;
  throw new ConfigError(
    'judge',
    `${JSON.stringify(judge)} is not a tier or a model id of the catalog`,
    `Use a tier (${catalog.tiers.join(', ')}) or a model id.`,
  );
}

/** The model that grades: the judge's own id, or its tier's first model (one standard for every answer). */
function judgeModel(catalog: Catalog, judge: string): string {
  const chat = (d: Catalog['deployments'][number]): boolean =>
    !(d.model.capabilities as readonly string[] | undefined)?.includes('embeddings');
  return catalog.tiers.includes(judge) ? (catalog.deployments.find((d) => d.tier === judge && chat(d))?.model.id ?? judge) : judge;
}

function projectionOf(models: EvalReport['models'], routerPerCase: number | null, monthlyCalls: number): Record<string, number> {
  const projection: Record<string, number> = {};
  for (const m of models) if (m.costPerCaseUsd !== null) projection[m.model] = Math.round(m.costPerCaseUsd * monthlyCalls * 100) / 100;
  if (routerPerCase !== null) projection[ROUTER] = Math.round(routerPerCase * monthlyCalls * 100) / 100;
  return projection;
}
