import { describe, expect, it } from 'vitest';
import { parseScore } from './parseScore.js';

describe('parseScore', () => {
  it.each([
    ['{"score": 0.75, "reason": "misses the fee"}', 0.75],
    ['```json\n{"score": 1, "reason": "right"}\n```', 1],
    ['Here is my grade: {"score": "0.5", "reason": "half"} Hope it helps.', 0.5],
    ['The answer is close.\nScore: 0.25', 0.25],
    ['score = 3/4', 0.75],
    ['Score: 8 out of 10', 0.8],
    ['Score: 60%', 0.6],
    ['Score: 0.2 at first, but on reflection... Final score: 0.9', 0.9],
    ['0', 0],
  ])('reads %j as %d', (reply, score) => {
    expect(parseScore(reply)).toEqual({ score });
  });

  it.each(['I would say it is fairly good.', '{"score": 7, "reason": "good"}', '3', 'Score: 12/10', '{"reason": "no score here"}', ''])(
    'finds no score in %j',
    (reply) => {
      expect(parseScore(reply)).toHaveProperty('problem');
    },
  );
});
