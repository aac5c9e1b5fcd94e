// The one HTML shell every Transfer Lab webview loads: strict CSP, one nonce'd script, one stylesheet. No vscode import.
import { randomBytes } from 'node:crypto';

export interface ShellParts {
  /** `webview.cspSource`: the only origin scripts' styles, images and fonts may come from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  /** Images (the dashboard's gallery) come from `cspSource` only too; other views may not load any. */
  allowImages: boolean;
}

/** 128 random bits, base64: a fresh one per HTML load. */
export const createNonce = () => randomBytes(16).toString('base64');

export function contentSecurityPolicy(parts: Pick<ShellParts, 'cspSource' | 'nonce' | 'allowImages'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${parts.nonce}'`,
    // the controls (lit) style themselves with constructable stylesheets, which style-src does not govern
    `style-src ${parts.cspSource}`,
    `font-src ${parts.cspSource}`,
    `img-src ${parts.allowImages ? parts.cspSource : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function webviewHtml(parts: ShellParts): string {
  const attr = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(parts))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(parts.styleUri)}">
<title>${escapeHtml(parts.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script nonce="${attr(parts.nonce)}" src="${attr(parts.scriptUri)}"></script>
</body>
</html>`;
}

/** Text or attribute value made inert in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Webview options: scripts on, command URIs off, files only from the bundle folder plus `extraRoots`. */
export function webviewOptions<U>(bundleRoot: U, extraRoots: readonly U[] = []) {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [bundleRoot, ...extraRoots] } as const;
}
