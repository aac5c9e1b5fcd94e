// A code-server of its own, with the packaged VSIX, on one workspace, and the Workbench that drives it; tests made
// by `e2eTest` leave a FAILED screenshot of what the user would have seen when they throw, then close what the failed
// step left open so one failure does not take the next steps down with it.
import { test, type TestContext, type TestOptions } from 'node:test';
import { installExtension, startCodeServer, writeSettings } from '../../scripts/e2e/codeServer.mjs';
import { Workbench } from './workbench.js';

/**
 * VS Code for the Web saves after a delay by default; desktop's default shows what stays unsaved. Every editor keeps
 * its tab: with preview tabs, which editor replaced which depended on timing, and a tab a later step needs vanished.
 */
const E2E_SETTINGS = { 'files.autoSave': 'off', 'workbench.editor.enablePreview': false };

export class Session {
  private constructor(readonly bench: Workbench, private readonly stopServer: () => Promise<void>) {}

  static async open(options: { vsix: string; workspace: string; profile: string; prefix: string; trusted?: boolean }): Promise<Session> {
    writeSettings(options.profile, E2E_SETTINGS);
    installExtension(options.profile, options.vsix);
    const server = await startCodeServer({ profile: options.profile, folder: options.workspace, trusted: options.trusted ?? true });
    const bench = await Workbench.open(server.url, options.prefix).catch(async (error) => {
      await server.stop();
      throw error;
    });
    return new Session(bench, () => server.stop());
  }

  async stop(): Promise<void> {
    await this.bench.close();
    await this.stopServer();
  }
}

/** Left of a step's timeout to take its screenshot: node:test cancels a timed-out body without telling it. */
const SCREENSHOT_MS = 10_000;

/** node:test's test(), with a screenshot of the workbench `bench()` returns when the body throws or runs out of time. */
export function e2eTest(bench: () => Workbench | undefined) {
  return (name: string, options: TestOptions, body: (t: TestContext) => Promise<void>): void => {
    test(name, options, async (t) => {
      let timer: NodeJS.Timeout | undefined;
      const outOfTime = new Promise<never>((_, reject) => {
        if (options.timeout) timer = setTimeout(() => reject(new Error(`not done ${(options.timeout! - SCREENSHOT_MS) / 1000} s in`)), options.timeout - SCREENSHOT_MS);
      });
      try {
        await Promise.race([body(t), outOfTime]);
      } catch (error) {
        await bench()?.screenshot(`FAILED-${name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
        await bench()?.dismissOverlays().catch(() => undefined);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    });
  };
}
