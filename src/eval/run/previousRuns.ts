import type { EvalAnswer, EvalReport } from '../EvalReport.js';
import { ROUTER, type RunRecord } from './RunRecord.js';

/** The answered runs of an earlier report, by case hash, model (or `ROUTER`) and repeat: what `--resume` may reuse. */
export interface PreviousRuns {
  /** The run of this case (by hash), model and repeat, if it was answered; marked `reused`. */
  take(hash: string, label: string, repeat: number): RunRecord | undefined;
}

/**
 * Indexes an earlier report's answers. A case whose messages changed is asked again; so is a run
 * that failed, and one from a report of another format.
 */
export function previousRuns(report: EvalReport | undefined): PreviousRuns {
  const runs = new Map<string, RunRecord>();
  if (report?.version === 1 && Array.isArray(report.cases)) {
    for (const c of report.cases) {
      const answers = Object.entries(c.byModel) as [string, EvalAnswer][];
      if (c.router !== undefined) answers.push([ROUTER, c.router]);
      for (const [label, answer] of answers) {
        for (const run of answer.runs ?? []) {
          if (run.error === undefined) runs.set(`${c.hash}\u0000${label}\u0000${run.repeat}`, { ...run, reused: true });
        }
      }
    }
  }
  return { take: (hash, label, repeat) => runs.get(`${hash}\u0000${label}\u0000${repeat}`) };
}
