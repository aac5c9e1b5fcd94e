// Every download goes through one undici dispatcher that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY (Node's own
// fetch ignores them). The extension passes VS Code's http.proxy settings as those variables (src/shared/proxyEnv.ts),
// so the training host follows the editor's proxy settings.
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { PROXY_AUTHORIZATION_ENV, STRICT_SSL_ENV } from '../../shared/proxyEnv';

const PROXY_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', STRICT_SSL_ENV, PROXY_AUTHORIZATION_ENV];

let current: { key: string; agent: Dispatcher } | undefined;

/** The dispatcher for the proxy environment as it is now (tests and users may change it while the process runs). */
export function proxyDispatcher(): Dispatcher {
  const key = PROXY_ENV.map((name) => process.env[name] ?? '').join('\n');
  if (current?.key !== key) {
    void current?.agent.close();
    const tls = process.env[STRICT_SSL_ENV] === 'false' ? { rejectUnauthorized: false } : undefined;
    const token = process.env[PROXY_AUTHORIZATION_ENV] || undefined;
    current = { key, agent: new EnvHttpProxyAgent({ ...(tls && { connect: tls, requestTls: tls, proxyTls: tls }), token }) };
  }
  return current.agent;
}
