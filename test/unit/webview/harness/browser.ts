// A headless Chromium page per scenario, with helpers to post messages as the extension would and to check that the
// page raised no CSP violation or script error.
import { chromium, type Browser, type Page } from 'playwright-core';
import { join } from 'node:path';
import type { ThemeName } from './themes';

export const SHOTS = join(__dirname, '../../../../test-results/webview');
export const THEME_NAMES: ThemeName[] = ['light', 'dark', 'high-contrast'];

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// In-page code is serialised, so it names the page's globals itself (the root tsconfig has no DOM types).
type Global = { postMessage(m: unknown, origin: string): void; requestAnimationFrame(f: () => void): number; __posted: unknown[]; __violations: string[]; __errors: string[] };

export class WebviewPage {
  private constructor(readonly page: Page) {}

  static async open(browser: Browser, url: string, width: number, height: number): Promise<WebviewPage> {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as unknown as Global).__posted.length > 0); // the ready handshake
    return new WebviewPage(page);
  }

  /** Posts as the extension does and waits until the result is painted; returns the in-page time that took (ms). */
  async post(message: unknown): Promise<number> {
    return this.page.evaluate((m) => new Promise<number>((done) => {
      const w = globalThis as unknown as Global & { performance: { now(): number } };
      const start = w.performance.now();
      w.postMessage(m, '*');
      // message handler, then the chart's frame, then the frame that paints it
      w.requestAnimationFrame(() => w.requestAnimationFrame(() => w.requestAnimationFrame(() => done(w.performance.now() - start))));
    }), message);
  }

  async frames(): Promise<void> {
    await this.page.evaluate(() => new Promise<void>((done) => { const w = globalThis as unknown as Global; w.requestAnimationFrame(() => w.requestAnimationFrame(() => done())); }));
  }

  posted<T = unknown>(): Promise<T[]> {
    return this.page.evaluate(() => (globalThis as unknown as Global).__posted as T[]);
  }

  async shot(name: string): Promise<void> {
    await this.frames();
    await this.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  /** Throws if the page broke its CSP or raised an error. */
  async assertClean(what: string): Promise<void> {
    const { violations, errors } = await this.page.evaluate(() => { const w = globalThis as unknown as Global; return { violations: w.__violations, errors: w.__errors }; });
    if (violations.length || errors.length) throw new Error(`${what}: CSP violations ${JSON.stringify(violations)}, errors ${JSON.stringify(errors)}`);
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
