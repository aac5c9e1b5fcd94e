// One typed, validated message channel per webview: inbound messages are schema-checked, outbound ones are typed.
import * as vscode from 'vscode';
import { LIMITS, parse, type Schema } from '../../protocol/webview';
import { createNonce, webviewHtml, webviewOptions } from './html';

export type Bundle = 'layers' | 'dashboard' | 'compare' | 'search' | 'dataHealth';

export class WebviewChannel<In extends { type: string }, Out> implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(private readonly webview: vscode.Webview, inbound: Schema<In>, handle: (message: In) => Promise<void> | void, name: Bundle) {
    this.subscription = webview.onDidReceiveMessage(async (raw: unknown) => {
      const message = parse(inbound, raw, (reason) => console.warn(`Transfer Lab ${name} webview: rejected a message (${reason})`));
      if (!message) return;
      try {
        await handle(message);
      } catch (error) {
        void vscode.window.showErrorMessage(`Transfer Lab: ${(error as Error).message}`);
      }
    });
  }

  post(message: Out): void {
    // a hidden or disposed webview drops messages; the ready handshake replays state when it is back
    this.webview.postMessage(message).then(undefined, () => undefined);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** Points `webview` at a bundle with the strict shell; `extraRoots` (dataset folders) allow gallery images. */
export function loadBundle(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: Bundle, title: string, extraRoots: vscode.Uri[] = []): void {
  const bundleRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  webview.options = webviewOptions(bundleRoot, extraRoots);
  webview.html = webviewHtml({
    cspSource: webview.cspSource, nonce: createNonce(), title, allowImages: extraRoots.length > 0,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundleRoot, `${bundle}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(bundleRoot, `${bundle}.css`)).toString(),
  });
}

/** The restore key a webview saved with `setState` (its own state, so untrusted): a bounded string or nothing. */
export function restoreKeyOf(state: unknown): string | undefined {
  const key = (state as { restoreKey?: unknown } | undefined)?.restoreKey;
  return typeof key === 'string' && key.length > 0 && key.length <= LIMITS.path * LIMITS.runs ? key : undefined;
}
