// VS Code's proxy settings, as the environment of the training host: the extension writes it, the host's downloader
// (undici's EnvHttpProxyAgent, src/engine/net/proxy.ts) reads HTTP(S)_PROXY, NO_PROXY, STRICT_SSL_ENV and
// PROXY_AUTHORIZATION_ENV.

/** "false" when VS Code's http.proxyStrictSSL is off: TLS certificates are then not verified. */
export const STRICT_SSL_ENV = 'TRANSFER_LAB_PROXY_STRICT_SSL';
/** VS Code's http.proxyAuthorization: the Proxy-Authorization header sent to the proxy. */
export const PROXY_AUTHORIZATION_ENV = 'TRANSFER_LAB_PROXY_AUTHORIZATION';

export interface HttpSettings {
  /** `http.proxy`; empty means the environment's own proxy variables apply. */
  proxy?: string;
  /** `http.proxyStrictSSL` (VS Code's default: true). */
  proxyStrictSSL?: boolean;
  /** `http.noProxy`: hosts reached directly. */
  noProxy?: readonly string[];
  /** `http.proxyAuthorization` (VS Code's default: null). */
  proxyAuthorization?: string | null;
}

/** Both spellings are set: undici prefers the lower-case one, so an inherited `https_proxy` must not win over the setting. */
export function proxyEnv(http: HttpSettings): Record<string, string> {
  const env: Record<string, string> = {};
  const proxy = http.proxy?.trim();
  if (proxy) for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) env[name] = proxy;
  if (http.noProxy?.length) env.NO_PROXY = env.no_proxy = http.noProxy.join(',');
  if (http.proxyStrictSSL === false) env[STRICT_SSL_ENV] = 'false';
  if (http.proxyAuthorization) env[PROXY_AUTHORIZATION_ENV] = http.proxyAuthorization;
  return env;
}
