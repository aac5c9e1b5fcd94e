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
type Global = { postMessage(m: unknown, origin: string): void; requestAnimationFrame(f: () => void): number; __posted: unknown[]; __violations: string[]; __errors: string[]; __pwned?: unknown };
type El = { tagName: string; className: string; parentElement: El | null; closest(s: string): El | null; getAttributeNames(): string[]; getAttribute(name: string): string | null };
type Doc = { document: { images: ArrayLike<{ complete: boolean }>; querySelector(s: string): { textContent: string | null } | null; querySelectorAll(s: string): ArrayLike<El> } };

export class WebviewPage {
  /** Console errors and warnings (CSP refusals, rejected messages) since the page opened. */
  readonly console: string[] = [];

  private constructor(readonly page: Page) {}

  static async open(browser: Browser, url: string, width: number, height: number): Promise<WebviewPage> {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    const view = new WebviewPage(page);
    page.on('console', (m) => ['error', 'warning'].includes(m.type()) && view.console.push(`${m.text()} (${m.location().url})`));
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as unknown as Global).__posted.length > 0); // the ready handshake
    return view;
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

  /** Waits until every image of the page has loaded (or failed). */
  async imagesLoaded(): Promise<void> {
    await this.page.waitForFunction(() => Array.from((globalThis as unknown as Doc).document.images).every((image) => image.complete));
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

  /** Throws if the page broke its CSP, raised an error or logged one. */
  async assertClean(what: string): Promise<void> {
    const { violations, errors } = await this.page.evaluate(() => { const w = globalThis as unknown as Global; return { violations: w.__violations, errors: w.__errors }; });
    if (violations.length || errors.length || this.console.length) throw new Error(`${what}: CSP violations ${JSON.stringify(violations)}, errors ${JSON.stringify(errors)}, console ${JSON.stringify(this.console)}`);
  }

  /**
   * Throws unless each of `texts` is in the text of `selector`, and nothing in the page was built from data: no
   * script, frame, object or svg element, no inline handler, no javascript: URL, and window.__pwned never set.
   */
  async assertShownAsText(what: string, selector: string, texts: readonly string[]): Promise<void> {
    const found = await this.page.evaluate(({ selector, texts }) => {
      const { document } = globalThis as unknown as Doc;
      const text = document.querySelector(selector)?.textContent ?? '';
      const built = Array.from(document.querySelectorAll('#app *')).flatMap((el) => {
        const region = el.parentElement?.closest('[class]');
        const where = ` in ${region?.tagName}.${region?.className.replace(/ /g, '.')}`;
        return [
          ...(['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG'].includes(el.tagName.toUpperCase()) ? [el.tagName] : []),
          ...el.getAttributeNames().filter((a) => a.startsWith('on') || (['href', 'src', 'action', 'formaction'].includes(a) && /^\s*javascript:/i.test(el.getAttribute(a) ?? ''))).map((a) => `${el.tagName}[${a}]`),
        ].map((thing) => thing + where);
      });
      return { missing: texts.filter((t) => !text.includes(t)), built, pwned: (globalThis as unknown as Global).__pwned !== undefined };
    }, { selector, texts });
    const problems = [
      found.missing.length ? `not shown as text in ${selector}: ${JSON.stringify(found.missing)}` : '',
      found.built.length ? `elements or attributes built from data: ${found.built.join(', ')}` : '',
      found.pwned ? 'window.__pwned was set' : '',
    ].filter(Boolean);
    if (problems.length) throw new Error(`${what}: ${problems.join('; ')}`);
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
