// Every download goes through one undici dispatcher that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY (Node's own
// fetch ignores them). The extension passes VS Code's http.proxy as those variables and http.proxyStrictSSL as
// TRANSFER_LAB_PROXY_STRICT_SSL, so the training host follows the editor's proxy settings.
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';

/** Set to "false" by the extension when VS Code's http.proxyStrictSSL is off: TLS certificates are not verified. */
export const STRICT_SSL_ENV = 'TRANSFER_LAB_PROXY_STRICT_SSL';

const PROXY_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', STRICT_SSL_ENV];

let current: { key: string; agent: Dispatcher } | undefined;

/** The dispatcher for the proxy environment as it is now (tests and users may change it while the process runs). */
export function proxyDispatcher(): Dispatcher {
  const key = PROXY_ENV.map((name) => process.env[name] ?? '').join('\n');
  if (current?.key !== key) {
    void current?.agent.close();
    const tls = process.env[STRICT_SSL_ENV] === 'false' ? { rejectUnauthorized: false } : undefined;
    current = { key, agent: new EnvHttpProxyAgent(tls ? { connect: tls, requestTls: tls, proxyTls: tls } : {}) };
  }
  return current.agent;
}
