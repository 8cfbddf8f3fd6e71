import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/eval/EvalReport.js';
import { renderReport } from '../../src/eval/html/renderReport.js';
import { launchChromium, NO_CHROMIUM_LINE, noChromium, openFile, openHtml, type Chromium } from '../support/chromium.js';
import { evalReportFixture, HOSTILE_ANSWER } from './reportFixture.js';

const root = join(import.meta.dirname, '../..');
if (noChromium) process.stderr.write(`${NO_CHROMIUM_LINE}\n`);

/** The centre of each chart point, in page pixels, by its model label (the router as 'auto'). */
async function chartPoints(page: Page): Promise<Map<string, { x: number; y: number }>> {
  const points = await page.$$eval('svg.chart [data-model], svg.chart [data-router]', (elements) =>
    elements.map((element) => {
      const box = element.getBoundingClientRect();
      const label = element.getAttribute('data-model') ?? `router:${element.getAttribute('data-router')}`;
      return [label, { x: box.left + box.width / 2, y: box.top + box.height / 2 }] as const;
    }),
  );
  return new Map(points);
}

describe.skipIf(noChromium)('the HTML reports in headless chromium', () => {
  let chromium: Chromium | undefined;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    mkdirSync(join(root, '.tmp'), { recursive: true });
    dir = mkdtempSync(join(root, '.tmp/html-'));
    chromium = await launchChromium();
    browser = chromium.browser;
  });

  afterAll(async () => {
    await chromium?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  describe("the eval's report.html", () => {
    it('plots one point per model and one for the router, left to right by cost per case and bottom to top by quality', async () => {
      const report = evalReportFixture();
      const { page } = await openHtml(browser, dir, 'report.html', renderReport(report));

      const points = await chartPoints(page);
      expect([...points.keys()].sort()).toEqual(['gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini', 'router:auto']);
      const plotted = [
        ...report.models.map((m) => ({ key: m.model, cost: m.costPerCaseUsd!, quality: m.quality.score! })),
        { key: 'router:auto', cost: report.router!.costPerCaseUsd!, quality: report.router!.quality! },
      ];
      const byCost = [...plotted].sort((a, b) => a.cost - b.cost).map((p) => p.key);
      const byQuality = [...plotted].sort((a, b) => a.quality - b.quality).map((p) => p.key);
      expect([...points.entries()].sort(([, a], [, b]) => a.x - b.x).map(([key]) => key)).toEqual(byCost);
      // Better is higher: a smaller y on the page.
      expect([...points.entries()].sort(([, a], [, b]) => b.y - a.y).map(([key]) => key)).toEqual(byQuality);
      expect(await page.$eval('svg.chart [data-model="gpt-4o"] title', (title) => title.textContent)).toBe(
        'gpt-4o: $0.0046 per case, quality 0.93, p50 1,240 ms',
      );
      await page.close();
    });

    it('loads nothing, logs no error, and shows a hostile answer as text without running it', async () => {
      const opened = await openHtml(browser, dir, 'hostile.html', renderReport(evalReportFixture()));
      const { page } = opened;

      const cell = await page.$eval('tr[data-case="hostile-markup"] td[data-answer="gpt-4o-mini"] .text', (element) => element.textContent);
      expect(cell).toBe(HOSTILE_ANSWER);
      expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
      expect(await page.$$eval('script, img, iframe, object, embed', (elements) => elements.length)).toBe(0);
      // The table the answer tried to close still holds every case.
      expect(await page.$$eval('table.answers tbody > tr', (rows) => rows.length)).toBe(6);
      const { consoleErrors, pageErrors, requests } = opened;
      expect({ consoleErrors, pageErrors, requests }).toEqual({ consoleErrors: [], pageErrors: [], requests: [] });
      await page.close();
    });

    it('shows the error, the unjudged reason and the reused marker where they happened, and the recommendation', async () => {
      const { page } = await openHtml(browser, dir, 'details.html', renderReport(evalReportFixture()));
      const text = (selector: string): Promise<string | null> => page.$eval(selector, (element) => element.textContent);

      expect(await text('tr[data-case="refund-window"] td[data-answer="gpt-4.1-nano"] .error')).toBe(
        'ALL_MODELS_FAILED: openai/gpt-4.1-nano: 503 Service Unavailable (3 tries)',
      );
      expect(await text('tr[data-case="tone-rewrite"] td[data-answer="gpt-4o"] .unjudged')).toBe(
        'unjudged: the judge gave no parsable score',
      );
      expect(await text('tr[data-case="order-json"] td[data-answer="gpt-4o"] .reused')).toBe('reused');
      expect(await text('.pick')).toContain('Use gpt-4o-mini (cold): quality 0.89 at $0.00031 per case');
      expect(await text('tr[data-projection="auto"]')).toContain('$980.00');
      await page.close();
    });

    it('lists a model without a quality score under the chart instead of plotting it at 0', async () => {
      const fixture = evalReportFixture();
      const unscored = {
        ...fixture,
        models: fixture.models.map((m) => (m.model === 'gpt-4.1-nano' ? { ...m, quality: { ...m.quality, score: null } } : m)),
      };
      const { page } = await openHtml(browser, dir, 'unscored.html', renderReport(unscored));

      expect([...(await chartPoints(page)).keys()].sort()).toEqual(['gpt-4o', 'gpt-4o-mini', 'router:auto']);
      expect(await page.$eval('.not-scored', (element) => element.textContent)).toContain('gpt-4.1-nano (not scored)');
      await page.close();
    });
    it('renders a bare report (one model that never answered, no judge, no router, aborted) without an error', async () => {
      const { router: _router, judge: _judge, projection: _projection, ...fixture } = evalReportFixture();
      const [first] = fixture.models;
      const bare: EvalReport = {
        ...fixture,
        aborted: true,
        settings: { ...fixture.settings, models: [first!.model] },
        models: [{ ...first!, costPerCaseUsd: null, latencyMs: { p50: null, p95: null, p99: null }, outputTokensPerSecond: null }],
        cases: fixture.cases.map(({ router: _, ...c }) => c),
        recommendation: { byTag: {} },
      };
      const opened = await openHtml(browser, dir, 'bare.html', renderReport(bare));
      const text = (selector: string): Promise<string | null> => opened.page.$eval(selector, (element) => element.textContent);

      expect(await opened.page.$$eval('svg.chart', (charts) => charts.length)).toBe(0);
      expect(await text('.not-scored')).toContain('gpt-4.1-nano (no answer)');
      expect(await text('.pick-none')).toContain('No recommendation');
      expect(await text('.banner')).toContain('aborted');
      const { consoleErrors, pageErrors, requests } = opened;
      expect({ consoleErrors, pageErrors, requests }).toEqual({ consoleErrors: [], pageErrors: [], requests: [] });
      await opened.page.close();
    });
  });

  describe('the report.html that `tiered-llm eval --demo` writes', () => {
    it('plots each demo model and the router, with no console error and no request', async () => {
      const cwd = mkdtempSync(join(dir, 'eval-demo-'));
      await new Promise<void>((resolve, reject) =>
        execFile(process.execPath, [join(root, 'dist/cli.js'), 'eval', '--demo', '--out', 'out'], { cwd }, (error) =>
          error === null ? resolve() : reject(error),
        ),
      );
      const opened = await openFile(browser, join(cwd, 'out/report.html'));
      expect([...(await chartPoints(opened.page)).keys()].sort()).toEqual(['max', 'mid', 'mini', 'router:auto']);
      expect(await opened.page.$$eval('table.answers tbody > tr', (rows) => rows.length)).toBe(12);
      const { consoleErrors, pageErrors, requests } = opened;
      expect({ consoleErrors, pageErrors, requests }).toEqual({ consoleErrors: [], pageErrors: [], requests: [] });
      await opened.page.close();
    });
  });

  describe("npm run demo's demo-report.html", () => {
    it('renders its bar charts, the cost report and the quality sections with no console error and no request', async () => {
      const cwd = mkdtempSync(join(dir, 'demo-'));
      await new Promise<void>((resolve, reject) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', join(root, 'examples/demo/demo.ts')],
          { cwd, env: { ...process.env, DEMO_CALLS: '12' }, timeout: 60_000 },
          (error, _stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve()),
        ),
      );
      const opened = await openFile(browser, join(cwd, 'demo-report.html'));

      const charts = await opened.page.$$eval('svg', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          return { bars: svg.querySelectorAll('rect').length, width: box.width, height: box.height };
        }),
      );
      // Latency and failed tries per deployment (5), cost per tier (4), spent against the priciest tier (2),
      // a month as spent and on each tier alone (5), thumbs-up rate and shadow score per tier (4 each).
      expect(charts.map((chart) => chart.bars)).toEqual([5, 5, 4, 2, 5, 4, 4]);
      const text = (selector: string): Promise<string | null> => opened.page.$eval(selector, (element) => element.textContent);
      expect(await text('.cost-report p')).toMatch(/^cost report: \d+ answered calls/);
      expect(await text('.quality .shadow-spend')).toMatch(/^shadow sampling: \d+ shadows scored by gpt-4o, \$[\d.]+ of their own/);
      for (const chart of charts) expect(chart.width * chart.height).toBeGreaterThan(0);
      const { consoleErrors, pageErrors, requests } = opened;
      expect({ consoleErrors, pageErrors, requests }).toEqual({ consoleErrors: [], pageErrors: [], requests: [] });
      await opened.page.close();
    }, 90_000);
  });
});
