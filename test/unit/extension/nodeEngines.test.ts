import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// semver comes with the dev tools (vsce, test-electron); typed here for the two calls used
const semver = createRequire(__filename)('semver') as { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null };
const repo = join(__dirname, '..', '..', '..');
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));

/** Dependencies whose engines.node does not describe what we use of them. */
const NOT_RUN_AS_CODE: Record<string, string> = {
  nsfwjs: 'declares its build machine\'s exact Node ("22.13.0"); we read its model files, never run its code',
};

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

test('engines.node is the oldest Node every runtime dependency and every Node API we call supports', async () => {
  const manifest = await readJson(join(repo, 'package.json'));
  const oldest = semver.minVersion(manifest.engines.node)!.version;
  for (const name of Object.keys(manifest.dependencies)) {
    const range: string | undefined = (await readJson(join(repo, 'node_modules', name, 'package.json'))).engines?.node;
    if (!range || NOT_RUN_AS_CODE[name]) continue;
    assert.ok(semver.satisfies(oldest, range), `${name} needs Node ${range}; package.json says ${manifest.engines.node}`);
  }
  // zlib.crc32 arrived in Node 20.15 (and 22.2)
  const usesCrc32 = (await Promise.all((await sources(join(repo, 'src'))).map((f) => readFile(f, 'utf8')))).some((text) => /import \{[^}]*\bcrc32\b[^}]*\} from 'node:zlib'/.test(text));
  assert.ok(usesCrc32, 'the check below still guards something');
  assert.ok(semver.satisfies(oldest, '>=20.15.0 <21 || >=22.2.0'), `zlib.crc32 needs Node ≥ 20.15; package.json says ${manifest.engines.node}`);
});
