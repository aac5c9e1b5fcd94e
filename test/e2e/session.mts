// A code-server of its own, with the packaged VSIX, on one workspace, and the Workbench that drives it; tests made
// by `e2eTest` leave a FAILED screenshot of what the user would have seen when they throw.
import { readFileSync, watch } from 'node:fs';
import { dirname } from 'node:path';
import { test, type TestContext, type TestOptions } from 'node:test';
import { installExtension, startCodeServer, writeSettings } from '../../scripts/e2e/codeServer.mjs';
import { Workbench } from './workbench.js';

export class Session {
  private constructor(readonly bench: Workbench, private readonly stopServer: () => Promise<void>) {}

  static async open(options: { vsix: string; workspace: string; profile: string; prefix: string; trusted?: boolean }): Promise<Session> {
    writeSettings(options.profile);
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

/** node:test's test(), with a screenshot of the workbench `bench()` returns when the body throws. */
export function e2eTest(bench: () => Workbench | undefined) {
  return (name: string, options: TestOptions, body: (t: TestContext) => Promise<void>): void => {
    test(name, options, (t) => body(t).catch(async (error) => {
      await bench()?.screenshot(`FAILED-${name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
      throw error;
    }));
  };
}

/** Resolves once `file` satisfies `check`, looking again at each change in its folder (saves may replace the file). */
export function untilFile(file: string, check: (text: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const look = () => {
      try {
        if (check(readFileSync(file, 'utf8'))) (watcher.close(), resolve());
      } catch {
        // caught mid-write: the write's own change event looks again
      }
    };
    const watcher = watch(dirname(file), look);
    look();
  });
}
