import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Debian's chromium, or the one `CHROMIUM_PATH` names. */
export const chromiumPath: string = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const present = ((): boolean => {
  try {
    accessSync(chromiumPath, constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();
const underCi = !['', '0', 'false', undefined].includes(process.env['CI']);

/**
 * True when the browser tests are to be skipped: no chromium, and this is not CI. Under CI a missing
 * chromium must fail them, not hide them, so they run and `launchChromium()` throws.
 */
export const noChromium: boolean = !present && !underCi;

/** The line a skipped run prints, once per file. */
export const NO_CHROMIUM_LINE = `chromium is not at ${chromiumPath}: skipping the HTML reports' browser tests (apt-get install chromium, or set CHROMIUM_PATH).`;

/** A headless chromium of a test file's own. */
export interface Chromium {
  readonly browser: Browser;
  /** Closes the browser, waits for its process to exit, and removes its profile. */
  close(): Promise<void>;
}

/** One headless chromium for a test file, on a fresh profile. */
export async function launchChromium(): Promise<Chromium> {
  if (!present) {
    throw new Error(
      `chromium is not at ${chromiumPath}, and under CI the HTML reports' browser tests need it (apt-get install chromium, or set CHROMIUM_PATH).`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'tiered-llm-chromium-'));
  // No background traffic of the browser's own: a request seen by a test is the page's.
  const browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** A page opened from a file, with what it did that a self-contained page must not. */
export interface OpenedPage {
  readonly page: Page;
  /** `console.error` messages, CSP violations and failed loads included. */
  readonly consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: string[];
  /** Every request but the page's own file, each blocked. */
  readonly requests: string[];
}

/** Opens `file` in a new page, blocking and recording any request other than the file itself. */
export async function openFile(browser: Browser, file: string): Promise<OpenedPage> {
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const opened: OpenedPage = { page, consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') opened.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => opened.pageErrors.push(String(error)));
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) return void request.continue();
    opened.requests.push(request.url());
    void request.abort();
  });
  await page.setViewport({ width: 1400, height: 900 });
  await page.goto(url, { waitUntil: 'load' });
  return opened;
}

/** Writes `html` to a file in `dir` and opens it (see `openFile`). */
export async function openHtml(browser: Browser, dir: string, name: string, html: string): Promise<OpenedPage> {
  const file = join(dir, name);
  writeFileSync(file, html);
  return openFile(browser, file);
}
