import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeExportedRun } from '../fixtures/exportedRun';
import { runCli } from './runCli';

test('predict\'s human output escapes newlines and control characters in file and class names', async () => {
  const runDir = await writeExportedRun(['plain', 'two\nlines', 'clear\u001b[2J']);
  const folder = await mkdtemp(join(tmpdir(), 'tl-predict-names-'));
  const image = join(folder, 'photo\nfake: line\u0007.png');
  await sharp({ create: { width: 32, height: 32, channels: 3, background: '#808080' } }).png().toFile(image);
  const result = await runCli(['predict', runDir, image, '--top', '3']);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one line per image:\n${result.stdout}`);
  // eslint-disable-next-line no-control-regex -- the output must hold no control characters
  assert.doesNotMatch(result.stdout, /[\u0000-\u0009\u000b-\u001f\u007f]/, 'no control characters reach the terminal');
  assert.ok(lines[0].startsWith(`${join(folder, 'photo\\nfake: line\\u0007.png')}: `), lines[0]);
  assert.match(lines[0], /two\\nlines \d/);
  assert.match(lines[0], /clear\\u001b\[2J \d/);
});
