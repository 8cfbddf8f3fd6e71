import type { EvalCheck } from '../EvalCase.js';
import { regexOf } from '../cases/checkCase.js';
import { answerJson } from './answerJson.js';
import type { SchemaCheck } from './SchemaChecks.js';

/** A check's verdict: pass (score 1) or fail (score 0), with the first reason it failed. */
export type CheckVerdict = { readonly pass: true } | { readonly pass: false; readonly reason: string };

/** Runs every key of a case's check on an answer: all must pass. */
export function checkAnswer(text: string, check: EvalCheck, schema: SchemaCheck | undefined): CheckVerdict {
  if (check.contains !== undefined) {
    for (const part of typeof check.contains === 'string' ? [check.contains] : check.contains) {
      if (!text.includes(part)) return { pass: false, reason: `does not contain ${JSON.stringify(part)}` };
    }
  }
  if (check.equals !== undefined && text.trim() !== check.equals.trim())
    return { pass: false, reason: `is not ${JSON.stringify(check.equals)}` };
  if (check.regex !== undefined && !regexOf(check.regex).test(text)) return { pass: false, reason: `does not match ${check.regex}` };
  if (check.json === true || check.jsonSchema !== undefined) {
    const json = answerJson(text);
    if (!json.ok) return { pass: false, reason: json.problem };
    if (schema !== undefined) {
      const valid = schema(json.value);
      if (valid !== true) return { pass: false, reason: `its JSON does not match the schema: ${valid}` };
    }
  }
  return { pass: true };
}
