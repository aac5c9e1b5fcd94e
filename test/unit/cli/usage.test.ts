import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli } from './runCli';

const noStackTrace = (text: string) => assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+/, `no stack trace:\n${text}`);

test('unknown flags and flags without a value are usage errors: exit 2, the command usage, no stack trace', async () => {
  for (const [args, command] of [[['--bogus'], 'init'], [['train', 'x.experiment.json', '--epochs'], 'train'], [['train', 'x.experiment.json', '--bogus'], 'train'], [['evaluate', 'run', '--top', '3'], 'evaluate']] as const) {
    const result = await runCli([...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    noStackTrace(result.stderr);
    assert.match(result.stderr, new RegExp(`transfer-lab ${command} `), `${args.join(' ')} prints the usage`);
  }
  const missingValue = await runCli(['train', 'x.experiment.json', '--runs']);
  assert.match(missingValue.stderr, /--runs needs a value/);
  const wrongCommand = await runCli(['evaluate', 'run', '--top', '3']);
  assert.match(wrongCommand.stderr, /evaluate does not take --top/);
});

test('--version prints the version; --help works per command', async () => {
  const { version } = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8'));
  const shown = await runCli(['--version']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(shown.stdout.trim(), version);
  assert.equal((await runCli(['--version', '--json'])).json.version, version);

  const trainHelp = await runCli(['train', '--help']);
  assert.equal(trainHelp.code, 0, trainHelp.stderr);
  assert.match(trainHelp.stdout, /transfer-lab train <name\.experiment\.json>/);
  assert.doesNotMatch(trainHelp.stdout, /transfer-lab inspect/, 'only the command asked about');
  const all = await runCli(['--help']);
  assert.equal(all.code, 0);
  assert.match(all.stdout, /transfer-lab inspect/);
});

test('every enumerated option is checked: exit 2 naming the valid values, nothing written', async () => {
  const work = await mkdtemp(join(tmpdir(), 'tl-usage-'));
  const data = join(work, 'data');
  await mkdir(join(data, 'cats'), { recursive: true });
  const file = join(work, 'x.experiment.json');
  const cases: [string[], RegExp][] = [
    [['init', file, '--data', data, '--strategy', 'bogus'], /--strategy must be one of feature-extraction, fine-tune, got "bogus"/],
    [['train', file, '--engine', 'bogus'], /--engine must be one of auto, tfjs-node-gpu, tfjs-node, wasm, cpu, got "bogus"/],
    [['scan', data, '--kind', 'bogus'], /--kind must be one of image, text, got "bogus"/],
    [['export', 'run', '--format', 'zip'], /--format must be one of h5, keras, tfjs, onnx, keras-script, notebook, hf, got "zip"/],
    [['init', file, '--data', data, '--base', 'no_such_model'], /--base: no_such_model is not a catalog id \(nsfwjs_mobilenet_v2, .*\), a readable model file or folder, or an http\(s\) URL/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli([...args, '--json']);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(String(result.json.error), message);
    assert.match(result.stderr, new RegExp(`transfer-lab ${args[0]} `), 'with the command usage');
  }
  assert.equal(existsSync(file), false, 'init wrote nothing');
});

test('under --json every failure ends stdout with a JSON object holding an error', async () => {
  const work = await mkdtemp(join(tmpdir(), 'tl-usage-'));
  const failures = [
    ['--bogus'], ['frobnicate'], ['train'], ['train', 'x.experiment.json', '--epochs'], ['init', 'x.experiment.json', '--epochs', 'ten'],
    ['train', join(work, 'nope.experiment.json')], ['evaluate', work], ['sample', join(work, 's'), '--per-class', '0', '--no-train'],
  ];
  for (const args of failures) {
    const result = await runCli([...args, '--json']);
    assert.notEqual(result.code, 0, args.join(' '));
    assert.equal(typeof result.json.error, 'string', `${args.join(' ')}: last stdout line ${JSON.stringify(result.stdout.trim().split('\n').at(-1))}`);
    noStackTrace(result.stderr);
  }
});
