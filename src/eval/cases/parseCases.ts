import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { EvalCase } from '../EvalCase.js';
import { caseError } from './caseError.js';
import { checkCase } from './checkCase.js';

/**
 * The cases of a cases file's text: JSONL (one case per line; blank lines skipped) or one JSON array.
 * `file` names the file in errors.
 * @throws ConfigError naming the file, the line (or array item) and the field.
 */
export function parseCases(text: string, file = 'cases'): EvalCase[] {
  return uniqueCases(text.trimStart().startsWith('[') ? fromArray(text, file) : fromLines(text, file), file);
}

/** Reads and parses a cases file; see {@link parseCases}. @throws ConfigError when it cannot be read or is invalid. */
export async function loadCases(path: string): Promise<EvalCase[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw caseError(
      path,
      '',
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      'Check the path given to --cases.',
    );
  }
  return parseCases(text, basename(path));
}

function fromLines(text: string, file: string): EvalCase[] {
  const cases: EvalCase[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file} line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw caseError(
        where,
        '',
        `is not valid JSON (${(error as Error).message})`,
        'Each line of a JSONL file is one complete JSON object.',
      );
    }
    cases.push(checkCase(value, where));
  });
  return cases;
}

function fromArray(text: string, file: string): EvalCase[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw caseError(file, '', `is not valid JSON (${(error as Error).message})`, 'A cases file is JSONL, or one JSON array of cases.');
  }
  if (!Array.isArray(value)) throw caseError(file, '', 'is not a JSON array', 'A cases file is JSONL, or one JSON array of cases.');
  return value.map((item, index) => checkCase(item, `${file} item ${index + 1}`));
}

/** Cases given to `evaluate()` as objects: validated the same way, named `cases[i]` in errors. */
export function checkCases(inputs: readonly unknown[]): EvalCase[] {
  if (!Array.isArray(inputs))
    throw caseError('cases', '', 'must be an array of cases', 'Pass the cases as an array, or load a file with loadCases().');
  const cases = inputs.map((item, index) =>
    typeof item === 'object' && item !== null && 'hash' in item && 'source' in item
      ? (item as EvalCase)
      : checkCase(item, `cases[${index}]`),
  );
  return uniqueCases(cases, 'cases');
}

function uniqueCases(cases: EvalCase[], where: string): EvalCase[] {
  if (cases.length === 0) throw caseError(where, '', 'holds no case', 'Write at least one case: {"id": "refund", "prompt": "..."}.');
  const seen = new Map<string, string>();
  for (const c of cases) {
    const first = seen.get(c.id);
    if (first !== undefined) throw caseError(c.source, 'id', `'${c.id}' is also the id of ${first}`, 'Give every case a unique id.');
    seen.set(c.id, c.source);
  }
  return cases;
}
