import type { EvalCase } from '../EvalCase.js';
import type { RunRecord } from './RunRecord.js';

/** Every run of the evaluation, by case and model label (the router's under `ROUTER`), each in repeat order. */
export class RunTable {
  readonly #runs = new Map<string, RunRecord[]>();

  constructor(readonly cases: readonly EvalCase[]) {}

  /** Records a run; a run of the same repeat replaces nothing (each task runs once). */
  add(c: EvalCase, label: string, run: RunRecord): void {
    const key = keyOf(c.id, label);
    const runs = this.#runs.get(key);
    if (runs === undefined) this.#runs.set(key, [run]);
    else runs.push(run);
  }

  /** The runs of a case on a model, in repeat order. */
  of(c: EvalCase, label: string): RunRecord[] {
    const runs = this.#runs.get(keyOf(c.id, label));
    return runs === undefined ? [] : runs.sort(byRepeat);
  }

  /** Every run of a model, over every case. */
  all(label: string, cases: readonly EvalCase[] = this.cases): RunRecord[] {
    return cases.flatMap((c) => this.#runs.get(keyOf(c.id, label)) ?? []);
  }
}

const keyOf = (caseId: string, label: string): string => `${caseId}\u0000${label}`;
const byRepeat = (a: RunRecord, b: RunRecord): number => a.repeat - b.repeat;
