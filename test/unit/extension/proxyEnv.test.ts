import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROXY_AUTHORIZATION_ENV, proxyEnv, STRICT_SSL_ENV } from '../../../src/shared/proxyEnv';

test('VS Code\'s http.proxy reaches the training host in both spellings undici reads, so an inherited https_proxy cannot win', () => {
  const env = proxyEnv({ proxy: ' http://proxy.corp:3128 ', proxyStrictSSL: true, noProxy: [] });
  assert.deepEqual(env, { HTTPS_PROXY: 'http://proxy.corp:3128', https_proxy: 'http://proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128', http_proxy: 'http://proxy.corp:3128' });
});

test('http.noProxy becomes NO_PROXY; http.proxyStrictSSL off becomes the host\'s flag; unset settings leave the environment alone', () => {
  assert.deepEqual(proxyEnv({ noProxy: ['localhost', '.corp'], proxyStrictSSL: false }), { NO_PROXY: 'localhost,.corp', no_proxy: 'localhost,.corp', [STRICT_SSL_ENV]: 'false' });
  assert.deepEqual(proxyEnv({ proxy: '', proxyStrictSSL: true }), {});
});

test('http.proxyAuthorization reaches the host as its own variable (not in a URL, where it would need escaping and show in logs)', () => {
  assert.deepEqual(proxyEnv({ proxyAuthorization: 'Basic YWRhOnMzY3JldA==' }), { [PROXY_AUTHORIZATION_ENV]: 'Basic YWRhOnMzY3JldA==' });
  assert.deepEqual(proxyEnv({ proxyAuthorization: null }), {}, 'VS Code\'s default is null');
});
