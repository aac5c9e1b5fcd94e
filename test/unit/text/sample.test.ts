import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readPredictTexts, textPredictionLines, textScanText } from '../../../src/cli/text';
import { emailToText, SAMPLE_BASE, writeTextSample } from '../../../src/engine/text/textSample';
import { loadTextExperimentFile } from '../../../src/engine/text/textExperiment';
import { scanTextDataset } from '../../../src/engine/text/textScan';
import { trainTextExperiment } from '../../../src/engine/text/textTrain';
import { RecordingListener } from '../training/listener';
import { tempDir } from './fixtures';

test('e-mails become subject + readable body: other headers, HTML, quoted-printable and MIME noise removed', () => {
  const raw = [
    'From: a@b.c', 'X-Spam-Status: No, hits=-2.0', 'Subject: Cheap', ' meds today', 'Content-Type: text/html', '',
    '--BOUNDARY', 'Content-Type: text/html', '<html><style>p{}</style><p>Buy&nbsp;now =', 'at 50=25 off</p></html>', '--BOUNDARY--',
  ].join('\n');
  assert.equal(emailToText(raw), 'Cheap meds today\nBuy now at 50% off');
});

test('the sample: real SpamAssassin e-mails in class folders and a valid experiment on a small hub BERT', async () => {
  const dir = tempDir('text-sample');
  const file = await writeTextSample(dir, 30);
  const loaded = await loadTextExperimentFile(file);
  assert.equal(loaded.baseRef, SAMPLE_BASE);
  assert.deepEqual(loaded.experiment.phases.map((p) => p.trainable), [{ none: true }, { topBlocks: 1 }]);
  const scan = await scanTextDataset({ path: join(dir, 'emails') });
  assert.deepEqual(scan.classes, ['ham', 'spam']);
  assert.ok(scan.counts.ham.train === 30 && scan.counts.spam.train >= 25);
  assert.ok(!readFileSync(join(dir, 'emails', 'ham', '0001.txt'), 'utf8').includes('X-Spam'), 'no header gives the label away');
  assert.match(textScanText(scan), /emails \(folder\): 2 classes\n {2}ham: 30/);
});

test('offline, the sample\'s first run says plainly that it must download the BERT, from where, and what else to do', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  const file = await writeTextSample(tempDir('text-sample'), 10);
  process.env.HF_ENDPOINT = endpoint;
  process.env.HF_HUB_CACHE = tempDir('hf-hub'); // a copy in this machine's Hugging Face cache must not answer
  try {
    await assert.rejects(trainTextExperiment({ experimentFile: file, cacheDir: tempDir('cache'), listener: new RecordingListener() }), (error: Error) => {
      assert.match(error.message, new RegExp(`${endpoint}/${SAMPLE_BASE}/resolve/main/config\\.json: download failed`));
      assert.match(error.message, /Connect to the internet and retry, or download config\.json, model\.safetensors and tokenizer\.json \(or vocab\.txt\)/);
      return true;
    });
  } finally {
    delete process.env.HF_ENDPOINT;
    delete process.env.HF_HUB_CACHE;
  }
});

test('CLI predict inputs: --text values, .txt files whole, stdin lines; prediction lines show classes and the text', async () => {
  const txt = join(tempDir('cli'), 'mail.txt');
  writeFileSync(txt, 'line one\nline two');
  const texts = await readPredictTexts(['WIN a prize'], [txt, '-'], Readable.from(['first\n\nsecond\n']));
  assert.deepEqual(texts, ['WIN a prize', 'line one\nline two', 'first', 'second']);
  await assert.rejects(readPredictTexts([], ['data.csv']), /a text run classifies \.txt files/);
  await assert.rejects(readPredictTexts([], []), /nothing to classify/);
  const [line] = textPredictionLines([{ text: `Win   ${'x'.repeat(80)}`, top: [{ label: 'spam', confidence: 0.9712 }, { label: 'ham', confidence: 0.0288 }], truncated: true }]);
  assert.match(line, /^spam 97\.1%, ham 2\.9% {2}← "Win x+…" \(only its start was read\)$/);
});
