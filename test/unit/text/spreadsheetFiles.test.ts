// Text datasets as spreadsheets save them: Excel's "Unicode Text" (UTF-16LE, BOM, tabs), European Excel's CSV
// (`;`, CRLF), UTF-8 with a BOM; and files a spreadsheet got wrong: an unclosed quote, short rows, empty labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selectEngine } from '../../../src/engine/backend/select';
import { loadTextDataset } from '../../../src/engine/text/textDataset';
import { scanTextDataset } from '../../../src/engine/text/textScan';
import { trainTextExperiment } from '../../../src/engine/text/textTrain';
import { RecordingListener } from '../training/listener';
import { keywordTexts, tempDir, writeTinyCheckpoint } from './fixtures';

function file(name: string, content: string | Buffer): string {
  const path = join(tempDir('sheet'), name);
  writeFileSync(path, content);
  return path;
}

const ROWS: [string, string][] = [['the plot was wonderful', 'pos'], ['boring, and far too long', 'neg'], ['a superb cast; loved it', 'pos'], ['awful "twist" ending', 'neg']];

/** What a loaded dataset holds, as [text, label] pairs in file order. */
async function pairs(path: string): Promise<string[][]> {
  const data = await loadTextDataset({ path });
  return data.samples.sort((a, b) => Number(a.path.split('#row')[1]) - Number(b.path.split('#row')[1])).map((s) => [data.texts.get(s.path)!, data.classes[s.label]]);
}

/** UTF-16 bytes of `text`, little- or big-endian, with or without a byte-order mark. */
function utf16(text: string, endian: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf16le');
  return endian === 'le' ? le : Buffer.from(le).swap16();
}

const unicodeText = `Text\tLabel\r\n${ROWS.map(([t, l]) => `${t}\t${l}`).join('\r\n')}\r\n`;

test('Excel "Unicode Text" (UTF-16LE with a BOM, tab-separated, CRLF), whatever its name says, reads as written', async () => {
  for (const name of ['reviews.tsv', 'reviews.csv']) assert.deepEqual(await pairs(file(name, utf16(unicodeText, 'le', true))), ROWS, name);
});

test('UTF-16BE with a BOM, and UTF-16 without a BOM (found by its NUL bytes), read as written', async () => {
  assert.deepEqual(await pairs(file('be.tsv', utf16(unicodeText, 'be', true))), ROWS);
  assert.deepEqual(await pairs(file('le-no-bom.tsv', utf16(unicodeText, 'le', false))), ROWS);
  assert.deepEqual(await pairs(file('be-no-bom.tsv', utf16(unicodeText, 'be', false))), ROWS);
});

test('UTF-8 with a BOM: the header is found by its first name', async () => {
  const data = await loadTextDataset({ path: file('bom.csv', `\ufefflabel,text\r\n${ROWS.map(([t, l]) => `${l},"${t.replace(/"/g, '""')}"`).join('\r\n')}\r\n`) });
  assert.equal(data.columns?.how, 'header');
  assert.equal(data.columns?.label, 'label');
});

test('European Excel CSV (";" between fields, CRLF, quoted text holding ";") is detected like "," and tab', async () => {
  const csv = `Text;Label\r\n${ROWS.map(([t, l]) => `${t.includes(';') || t.includes('"') ? `"${t.replace(/"/g, '""')}"` : t};${l}`).join('\r\n')}\r\n`;
  const path = file('european.csv', csv);
  assert.deepEqual(await pairs(path), ROWS);
  assert.equal((await loadTextDataset({ path })).columns?.text, 'Text');
});

test('a file that is not UTF-8 (nor UTF-16) is refused naming the file, the line and the fix', async () => {
  const path = file('latin1.csv', Buffer.from('text,label\nok,pos\ncaf\xe9 au lait,neg\n', 'latin1'));
  await assert.rejects(loadTextDataset({ path }), (error: Error) => {
    assert.ok(error.message.includes(path), error.message);
    assert.match(error.message, /line 3 is not UTF-8 text/);
    assert.match(error.message, /save it as UTF-8/i);
    return true;
  });
});

/** 40 rows of `text,label`; row 12 opens a quote it never closes. */
function unclosedQuote(): string {
  const rows = keywordTexts(40, 5).map(([text, label], i) => (i === 11 ? `"${text},${label}` : `${text},${label}`));
  return file('unclosed.csv', `${rows.join('\n')}\n`);
}

test('an unclosed quote (row 12 of 40) is an error naming the file, the line the quote opened on and the fix — no row is lost silently', async () => {
  const path = unclosedQuote();
  for (const read of [() => loadTextDataset({ path }), () => scanTextDataset({ path })]) {
    await assert.rejects(read(), (error: Error) => {
      assert.ok(error.message.includes(path), error.message);
      assert.match(error.message, /line 12: a quote opens here and never closes/);
      assert.match(error.message, /close the quote, or double the quote/i);
      return true;
    });
  }
});

test('rows with the wrong number of fields or no label are reported with their line numbers; the others are kept', async () => {
  const path = file('ragged.csv', 'text,label\r\ngood film,pos\r\nbad film,neg,extra\r\ndull\r\nfine film,\r\n"a ""quoted""\r\nline",pos\r\nawful film,neg\r\n');
  const data = await loadTextDataset({ path });
  assert.deepEqual(data.problems.map((p) => [p.path.split('#')[1], p.kind]), [['row3', 'bad-record'], ['row4', 'bad-record'], ['row5', 'missing-label']]);
  assert.match(data.problems[0].message, /3 fields, expected 2/);
  assert.deepEqual(data.samples.map((s) => s.path.split('#')[1]).sort(), ['row2', 'row6', 'row8']);
  const scan = await scanTextDataset({ path });
  assert.deepEqual(scan.problems.map((p) => p.path.split('#')[1]), ['row3', 'row4', 'row5']);
});

test('a text run lists the rows it skipped in skipped.json and counts them', async () => {
  await selectEngine('wasm');
  const rows = keywordTexts(40, 9).map(([text, label], i) => `${text} ${i},${label}`);
  rows.splice(10, 0, 'no label here,', 'one, field, too many,positive');
  const data = file('train.csv', `text,label\n${rows.join('\n')}\n`);
  const experimentFile = join(tempDir('sheet-exp'), 'skips.experiment.json');
  await writeFile(experimentFile, JSON.stringify({
    name: 'skips', seed: 1, data: { kind: 'text', root: data, maxLength: 16 }, base: { model: await writeTinyCheckpoint({ seed: 2 }) },
    phases: [{ name: 'head', epochs: 1, batchSize: 16, learningRate: 0.01 }],
  }));
  const result = await trainTextExperiment({ experimentFile, cacheDir: tempDir('sheet-cache'), listener: new RecordingListener() });
  assert.equal(result.state, 'completed', result.message);
  const skipped = JSON.parse(readFileSync(join(result.runDir, 'skipped.json'), 'utf8')) as { path: string; reason: string }[];
  assert.deepEqual(skipped.map((s) => s.path.split('#')[1]), ['row12', 'row13']);
  assert.equal(result.skippedFiles, 2);
});
