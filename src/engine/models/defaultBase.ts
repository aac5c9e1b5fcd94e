// The base offered first (wizard, `init` without --base): ImageNet MobileNetV2 when its weights are cached or can be
// downloaded now, else the shipped offline base — with a note of what that costs. No TensorFlow here.
import { findCatalogEntry, kerasWeightsFile } from '../../shared/catalog';
import { isCached } from './cachedFile';

export const IMAGENET_BASE = 'mobilenet_v2';
export const OFFLINE_BASE = 'nsfwjs_mobilenet_v2';
/** Long enough for a slow network to answer, short enough that an offline wizard does not seem to hang. */
export const REACH_TIMEOUT_MS = 2_000;

export interface DefaultBase {
  base: string;
  /** One line for the wizard and the CLI: why this base. */
  note: string;
}

const OFFLINE_COST = `${IMAGENET_BASE}'s ImageNet weights are not cached and cannot be downloaded now, so the default is the shipped ` +
  `${OFFLINE_BASE}: its features are weaker (0.77 vs 0.95 test accuracy on a 12-class flowers probe) — ` +
  `connect once and choose ${IMAGENET_BASE} for real work`;

/** The no-top weight file at the default size: what a default run downloads. */
export function imagenetWeightsUrl(): string {
  const entry = findCatalogEntry(IMAGENET_BASE)!;
  return kerasWeightsFile(entry, entry.defaultInputSize, false)!.url;
}

export interface DefaultBaseOptions {
  cacheDir: string;
  timeoutMs?: number;
  url?: string;
  /** How to ask the server: the CLI passes the proxy-aware downloader's; in VS Code's extension host global fetch already follows http.proxy. */
  reachable?: (url: string, timeoutMs: number) => Promise<boolean>;
}

export async function chooseDefaultBase(opts: DefaultBaseOptions): Promise<DefaultBase> {
  const url = opts.url ?? imagenetWeightsUrl();
  if (await isCached(url, opts.cacheDir)) return { base: IMAGENET_BASE, note: `${IMAGENET_BASE}: ImageNet weights already cached` };
  if (await (opts.reachable ?? reachable)(url, opts.timeoutMs ?? REACH_TIMEOUT_MS)) return { base: IMAGENET_BASE, note: `${IMAGENET_BASE}: ImageNet weights, downloaded on first use (≈9 MB) and cached` };
  return { base: OFFLINE_BASE, note: OFFLINE_COST };
}

/** Whether the server answers a HEAD request for `url` with success within `timeoutMs`. */
async function reachable(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}
