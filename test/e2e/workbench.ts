// Drives the VS Code workbench (code-server in Debian's Chromium) the way a user does: palette, quick inputs,
// notifications, the status bar, views and context menus. Every wait is on a UI state, never on a timer.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

export const SCREENSHOTS = join('test-results', 'e2e');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Playwright's default for each wait: long enough for the first host start on a slow CI machine. */
const TIMEOUT_MS = 60_000;

export class Workbench {
  private shots = 0;

  private constructor(private readonly browser: Browser, readonly page: Page, private readonly prefix: string) {}

  static async open(url: string, prefix: string): Promise<Workbench> {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.setDefaultTimeout(TIMEOUT_MS);
      await page.goto(url);
      await page.locator('.monaco-workbench').waitFor();
      await page.locator('[id="workbench.parts.activitybar"] a.action-label[aria-label^="Transfer Lab"]').waitFor();
      mkdirSync(SCREENSHOTS, { recursive: true });
      return new Workbench(browser, page, prefix);
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  /** Saves `test-results/e2e/<prefix>-NN-<name>.png`. */
  async screenshot(name: string): Promise<string> {
    const file = join(SCREENSHOTS, `${this.prefix}-${String(++this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** F1, the command's title, Enter — once the palette lists it. */
  async runCommand(title: string): Promise<void> {
    // a key pressed while focus moves (e.g. just after clicking a tab) can be dropped: press again, up to three times
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      const opened = await this.quickInput.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false);
      if (opened) break;
      if (attempt === 3) throw new Error(`F1 did not open the command palette (to run "${title}")`);
    }
    await this.page.keyboard.type(title);
    await this.quickInput.locator('.monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Waits for a quick input whose title contains `title` (e.g. "(3/12)"). */
  async waitForQuickInput(title: string | RegExp): Promise<void> {
    await this.quickInput.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible' });
  }

  /** Waits for the quick input list to show an item containing `text` and returns it. */
  quickPickItem(text: string | RegExp): Locator {
    return this.quickInput.locator('.monaco-list-row', { hasText: text }).first();
  }

  /** Replaces the prefilled value of the current input box and accepts it. */
  /** Types into the open input and accepts. */
  async answer(value: string): Promise<void> {
    await this.fillSteadily(this.quickInput.locator('input.input'), value);
    await this.page.keyboard.press('Enter');
  }

  /** Fills `box` until it keeps `value`: a file dialog still listing its folder may put its own value back or in front. */
  async fillSteadily(box: Locator, value: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await box.fill(value);
      await this.page.waitForTimeout(300);
      if ((await box.inputValue()) === value) return;
      if (attempt === 5) throw new Error(`the input keeps replacing "${value}" with "${await box.inputValue()}"`);
    }
  }

  /** Closes what a failed step may have left over the workbench (a quick pick, a menu), so the next step starts clean. */
  async dismissOverlays(): Promise<void> {
    for (let i = 0; i < 3 && (await this.quickInput.isVisible() || await this.page.locator('.monaco-menu').isVisible()); i++) {
      await this.page.keyboard.press('Escape');
      await this.page.waitForTimeout(200);
    }
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast', { hasText: text }).first();
  }

  get statusItem(): Locator {
    return this.page.locator('[id="transfer-lab.transfer-lab.transferLab.status"]');
  }

  async showTransferLab(): Promise<void> {
    await this.runCommand('Transfer Lab: Focus on Experiments View');
    await this.page.locator('.pane-header', { hasText: 'Experiments' }).waitFor();
  }

  async showExplorer(): Promise<void> {
    await this.runCommand('View: Show Explorer');
    await this.page.locator('.explorer-folders-view').waitFor();
  }

  /** A row of the Explorer (expanding its folders first), by path relative to the workspace. */
  async explorerRow(relativePath: string): Promise<Locator> {
    const parts = relativePath.split('/');
    for (const [i, name] of parts.entries()) {
      const row = this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`).first();
      await row.waitFor();
      if (i === parts.length - 1) return row;
      // a click can be lost while the Explorer re-renders (it reveals the active editor when shown): click until it expands
      for (let attempt = 1; (await row.getAttribute('aria-expanded')) !== 'true'; attempt++) {
        if (attempt > 3) throw new Error(`the Explorer does not expand ${name}`);
        await row.click();
        await row.and(this.page.locator('[aria-expanded="true"]')).waitFor({ timeout: 2000 }).catch(() => undefined);
      }
      await this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${parts[i + 1]}"]`).first().waitFor();
    }
    throw new Error(`no explorer row for ${relativePath}`);
  }

  /** Right-clicks `target` and picks `item` from its context menu (hover focuses it, Enter runs it, as by keyboard). */
  async contextMenu(target: Locator, item: string): Promise<void> {
    await target.click({ button: 'right' });
    const entry = this.page.locator('.monaco-menu .action-item', { hasText: item }).first();
    await entry.hover();
    await entry.locator('xpath=self::*[contains(@class, "focused")]').waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.monaco-menu').waitFor({ state: 'detached' });
  }

  /**
   * The frame of the webview (view or panel) whose content shows `selector`: webviews live in nested iframes, one
   * per webview, so this looks in every frame (but `except`, a webview already found) until one of them has it.
   */
  async webview(selector: string, { timeout = TIMEOUT_MS, except }: { timeout?: number; except?: Frame } = {}): Promise<Frame> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = await this.firstFrameShowing(selector, except);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
      await this.page.waitForEvent('framenavigated', { timeout: 250 }).catch(() => undefined); // or the next look
    }
  }

  /** Asks every frame at once: a webview being torn down can take long to answer, and must not hold up the one wanted. */
  private firstFrameShowing(selector: string, except?: Frame): Promise<Frame | undefined> {
    const frames = this.page.frames().filter((frame) => frame !== except && !frame.isDetached());
    return new Promise((resolve) => {
      let unanswered = frames.length;
      if (unanswered === 0) resolve(undefined);
      for (const frame of frames) {
        void frame.locator(selector).count().catch(() => 0).then((count) => {
          if (count > 0) resolve(frame);
          if (--unanswered === 0) resolve(undefined);
        });
      }
    });
  }

  /** The editor tab titled `title`. */
  tab(title: string): Locator {
    return this.page.locator('.tab', { hasText: title });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
