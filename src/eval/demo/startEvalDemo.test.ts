import { Ajv } from 'ajv';
import { createTieredClient } from 'tiered-llm';
import { describe, expect, it } from 'vitest';
import type { EvalCheck } from '../EvalCase.js';
import { judgeMessages } from 'tiered-llm';
import { RAMBLING_JUDGEMENT } from './demoJudge.js';
import { DEMO_MODELS } from './demoModels.js';
import { DEMO_OUTCOMES } from './demoOutcomes.js';
import { DEMO_SCRIPT } from './demoScript.js';
import { startEvalDemo } from './startEvalDemo.js';

const servers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;

/** Listening servers once closed handles have left the list: libuv drops them a few turns of the loop after `close()`. */
async function settledServers(before: number, turns = 10): Promise<number> {
  for (let turn = 0; turn < turns && servers() > before; turn++) await new Promise((resolve) => setImmediate(resolve));
  return servers();
}

/** The check semantics of the issue, written independently of the engine: the table must agree with them. */
function passes(text: string, check: EvalCheck): boolean {
  const contains = check.contains === undefined ? [] : [check.contains].flat();
  if (!contains.every((part) => text.includes(part))) return false;
  if (check.equals !== undefined && text.trim() !== check.equals) return false;
  const regex = check.regex?.match(/^\/(.*)\/([a-z]*)$/s);
  if (regex && !new RegExp(regex[1]!, regex[2]).test(text)) return false;
  if (check.json === undefined && check.jsonSchema === undefined) return true;
  const fenced = [...text.matchAll(/```json\n([\s\S]*?)\n```/g)];
  let value: unknown;
  try {
    value = JSON.parse(fenced.length === 1 ? fenced[0]![1]! : text);
  } catch {
    return false;
  }
  return check.jsonSchema === undefined || new Ajv().compile(check.jsonSchema)(value);
}

describe('the eval demo', () => {
  it('answers each model with its scripted answer, and max judges, over real HTTP', async () => {
    const before = servers();
    const demo = await startEvalDemo();
    const client = createTieredClient(demo.options);
    try {
      const shipped = (id: string) => DEMO_SCRIPT.find((scripted) => scripted.case.id === id)!;
      for (const { id } of DEMO_MODELS) {
        for (const scripted of [shipped('faq-refund'), shipped('extract-order')]) {
          const messages = scripted.case.messages ?? [{ role: 'user' as const, content: scripted.case.prompt! }];
          const completion = await client.chat.completions.create({ model: id, messages: [...messages] });
          expect(completion.choices[0]?.message.content).toBe(scripted.answers[id].text);
        }
      }
      const seats = shipped('reasoning-seats').case;
      const judge = async (answer: string) => {
        const messages = judgeMessages(seats.prompt!, seats.expected!, answer);
        return (await client.chat.completions.create({ model: demo.judge, messages })).choices[0]?.message.content ?? '';
      };

      expect(demo.judge).toBe('hot');
      expect(JSON.parse(await judge('$2,160 per year.'))).toEqual({ score: 0.25, reason: expect.any(String) }); // mini's
      expect(await judge('$1,728 a year.')).toBe(RAMBLING_JUDGEMENT); // mid's: no parsable score
      expect(RAMBLING_JUDGEMENT).not.toMatch(/\d/);
      expect(JSON.parse(await judge(seats.expected!))).toMatchObject({ score: 1 }); // the reference itself
      expect(JSON.parse(await judge('It costs $1,728 per year.'))).toMatchObject({ score: 0.5 }); // unscripted: word overlap 4/10
    } finally {
      await client.close();
      await demo.close();
    }
    expect(await settledServers(before)).toBe(before);
  });

  it('ships twelve support cases with tags, checks of every kind, judged ones and two without a reference', async () => {
    const demo = await startEvalDemo();
    await demo.close();
    const kinds = new Set(demo.cases.flatMap((c) => Object.keys(c.check ?? {})));

    expect(demo.cases).toHaveLength(12);
    expect(new Set(demo.cases.map((c) => c.id)).size).toBe(12);
    expect(new Set(demo.cases.flatMap((c) => c.tags ?? []))).toEqual(new Set(['faq', 'classification', 'extraction', 'reasoning']));
    expect(kinds).toEqual(new Set(['contains', 'equals', 'regex', 'json', 'jsonSchema']));
    expect(demo.cases.filter((c) => c.check === undefined && c.expected !== undefined)).toHaveLength(3);
    expect(demo.cases.filter((c) => c.check === undefined && c.expected === undefined)).toHaveLength(2);
  });

  it('expects outcomes that the checks really give, max right everywhere and one answer unjudged', () => {
    for (const scripted of DEMO_SCRIPT) {
      for (const { id } of DEMO_MODELS) {
        const { check } = scripted.case;
        if (check !== undefined)
          expect([scripted.case.id, id, passes(scripted.answers[id].text, check)]).toEqual([
            scripted.case.id,
            id,
            scripted.answers[id].pass,
          ]);
      }
    }
    const scores = (model: 'mini' | 'mid' | 'max') =>
      Object.values(DEMO_OUTCOMES[model]).flatMap((o) => (o.score === undefined ? [] : [o.score]));
    const passRate = (model: 'mini' | 'mid' | 'max') => {
      const checked = Object.values(DEMO_OUTCOMES[model]).filter((o) => o.pass !== undefined);
      return checked.filter((o) => o.pass).length / checked.length;
    };

    expect(scores('max').every((score) => score === 1)).toBe(true);
    expect([passRate('mini'), passRate('mid'), passRate('max')]).toEqual([4 / 7, 6 / 7, 1]);
    expect(
      Object.values(DEMO_OUTCOMES)
        .flatMap((byCase) => Object.values(byCase))
        .filter((o) => o.unjudged),
    ).toEqual([{ unjudged: true }]);
    expect(DEMO_OUTCOMES.mid['reasoning-seats']).toEqual({ unjudged: true });
    expect(DEMO_OUTCOMES.mini['extract-order']).toEqual({ pass: false, score: 0 });
  });
});
