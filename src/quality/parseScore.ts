/** A judge's reply read as a score in 0..1, or why it could not be. */
export type ParsedScore =
  | {
      /** The grade, 0..1. */
      readonly score: number;
    }
  | {
      /** Why no grade could be read, with an excerpt of the reply. */
      readonly problem: string;
    };

const labelled = /score["'\s]*[:=]\s*["']?(\d+(?:\.\d+)?)(?:\s*(?:\/|out of)\s*(\d+(?:\.\d+)?)|\s*(%))?/gi;

/**
 * The score in a judge's reply. The rubric asks for `{"score": 0..1, "reason": ...}`; judges also
 * answer in a ```json fence, with prose around the object, as `Score: 0.75`, `score: 3/4`,
 * `Score: 8 out of 10` or `Score: 75%`. The last labelled score wins (a judge that thinks aloud ends
 * with its verdict). A bare number out of 0..1 is refused rather than guessed at (is 3 of 5 or 10?).
 */
export function parseScore(reply: string): ParsedScore {
  const text = reply.trim();
  const fromJson = jsonScore(text);
  if (fromJson !== undefined) return fromJson;
  let last: RegExpExecArray | undefined;
  for (const match of text.matchAll(labelled)) last = match;
  if (last !== undefined) {
    const value = Number(last[1]);
    const scale = last[3] === '%' ? 100 : last[2] === undefined ? 1 : Number(last[2]);
    return inRange(scale > 0 ? value / scale : Number.NaN, text);
  }
  if (/^\d+(?:\.\d+)?$/.test(text)) return inRange(Number(text), text);
  return { problem: `the judge gave no parsable score: ${excerpt(text)}` };
}

function jsonScore(text: string): ParsedScore | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
  const score = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['score'] : undefined;
  if (typeof score === 'number') return inRange(score, text);
  if (typeof score === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(score)) return inRange(Number(score), text);
  return undefined;
}

function inRange(score: number, text: string): ParsedScore {
  return score >= 0 && score <= 1 ? { score } : { problem: `the judge's score is not within 0..1: ${excerpt(text)}` };
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 77)}...` : line);
}
