import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportText } from '../../../src/cli/render';
import { exportRun } from '../../../src/engine/export/exportRun';
import { readKerasModelFile } from '../../../src/engine/models/keras/readModel';
import { buildArchitecture } from '../../../src/engine/models/architectures';
import { layerNames } from '../../../src/engine/models/surgery';
import { EXPERIMENT_FILE, MODEL_DIR } from '../../../src/shared/runLayout';
import { useWasmBackend } from '../models/fixtures/nsfwjsModel';
import { writeSyntheticDataset } from '../fixtures/syntheticImages';

const hasPython = spawnSync('python3', ['--version']).status === 0;
const needsPython = { skip: !hasPython && 'python3 is not installed' };
let work: string;
let data: string;

before(async () => {
  await useWasmBackend();
  work = await mkdtemp(path.join(tmpdir(), 'keras-script-'));
  data = await writeSyntheticDataset(2, { size: 32 });
});

after(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(data, { recursive: true, force: true });
});

/** A finished run's folder as far as the script export reads it: the experiment snapshot and the model card. */
async function fakeRun(name: string, base: string, inputSize: number): Promise<string> {
  const runDir = path.join(work, name);
  await mkdir(path.join(runDir, MODEL_DIR), { recursive: true });
  const experiment = {
    name, seed: 42, data: { root: data, inputSize, split: { val: 0.2, test: 0.1 }, augmentation: { flip: true, rotationDeg: 10, zoom: 0.1, brightness: 0, contrast: 0.2 } },
    base: { model: base }, head: { pooling: 'avg', hiddenUnits: 16, dropout: 0.3 },
    phases: [
      { name: 'head', epochs: 5, batchSize: 16, optimizer: 'adam', learningRate: 0.001, trainable: { none: true } },
      { name: 'fine-tune', epochs: 3, batchSize: 8, optimizer: 'sgd', learningRate: 0.0001, trainable: { topBlocks: 2 } },
    ],
    callbacks: { earlyStopping: { monitor: 'val_loss', patience: 2, minDelta: 0.001, restoreBestWeights: true }, checkpoint: { keep: 2 } },
  };
  await writeFile(path.join(runDir, EXPERIMENT_FILE), JSON.stringify(experiment));
  await writeFile(path.join(runDir, MODEL_DIR, 'preprocessing.json'), JSON.stringify({ classes: ['a', 'b', 'c'], inputSize, preprocessing: 'scale-0-1', base, featureLayer: 'x' }));
  return runDir;
}

/** A Python list assignment of the script (`NAME = [...]`), read as JSON. */
function pythonList(script: string, name: string): unknown {
  const line = script.split('\n').find((l) => l.startsWith(`${name} = `));
  assert.ok(line, `the script sets ${name}`);
  return JSON.parse(line.slice(name.length + 3));
}

function assertNamesIn(script: string, baseNames: readonly string[]): void {
  const known = new Set(baseNames);
  const trainable = pythonList(script, 'TRAINABLE') as string[][];
  assert.equal(trainable.length, 2);
  assert.deepEqual(trainable[0], [], 'the first phase trains the head only');
  assert.ok(trainable[1].length > 0, 'the fine-tuning phase unfreezes base layers');
  for (const name of [...trainable.flat(), ...(pythonList(script, 'BASE_LAYERS') as string[])]) assert.ok(known.has(name), `${name} is a layer of the base`);
}

test('a run on the nsfwjs MobileNetV2 becomes a Python script that compiles, with the base as a .keras file holding every layer it freezes', needsPython, async () => {
  const runDir = await fakeRun('nsfwjs-run', 'mobilenet_v2', 96);
  const result = await exportRun(runDir, { format: 'keras-script', out: path.join(work, 'train.py'), cacheDir: path.join(work, 'cache') });
  execFileSync('python3', ['-m', 'py_compile', result.file]);
  const script = await readFile(result.file, 'utf8');
  for (const needle of ['image_dataset_from_directory', 'validation_split=0.3,', 'seed=SEED', 'SEED = 42', 'tf.distribute.MirroredStrategy()', 'tf.distribute.MultiWorkerMirroredStrategy()',
    'base(x, training=False)', 'keras.optimizers.Adam', 'keras.optimizers.SGD', '"learning_rate": 0.0001', 'EarlyStopping(monitor="val_loss", patience=2, min_delta=0.001, restore_best_weights=True)',
    'keras.layers.RandomFlip("horizontal")', 'x / 255.0', 'keras.layers.Dense(16, activation="relu"', 'keras.saving.load_model(args.base_file']) {
    assert.ok(script.includes(needle), needle);
  }
  const baseFile = path.join(work, 'train.base.keras');
  assert.ok(existsSync(baseFile));
  const base = await readKerasModelFile(baseFile);
  assertNamesIn(script, layerNames(base.modelTopology as never));
  assert.match(exportText(result), /--base-file .*train\.base\.keras --strategy mirrored/);
});

test('a keras.applications base is built by keras.applications with the same alpha and input size, and its frozen layers are names Keras uses', needsPython, async () => {
  const runDir = await fakeRun('keras-run', 'mobilenet_v2_0.35', 32);
  const result = await exportRun(runDir, { format: 'keras-script', cacheDir: path.join(work, 'cache') });
  assert.equal(result.file, path.join(runDir, MODEL_DIR, 'train_keras.py'));
  execFileSync('python3', ['-m', 'py_compile', result.file]);
  const script = await readFile(result.file, 'utf8');
  assert.ok(script.includes('keras.applications.MobileNetV2(include_top=False, weights="imagenet", input_shape=(32, 32, 3), alpha=0.35)'));
  assert.equal(existsSync(path.join(runDir, MODEL_DIR, 'train_keras.base.keras')), false, 'no base file when keras.applications builds it');
  assertNamesIn(script, layerNames(buildArchitecture('mobilenet_v2', { inputSize: 32, includeTop: false, alpha: 0.35 })));
});

test('--format notebook writes the same code as nbformat 4 cells (required keys only) whose code compiles', async () => {
  const runDir = await fakeRun('notebook-run', 'mobilenet_v2_0.35', 32);
  const script = await readFile((await exportRun(runDir, { format: 'keras-script', out: path.join(work, 'same.py'), cacheDir: path.join(work, 'cache') })).file, 'utf8');
  const result = await exportRun(runDir, { out: path.join(work, 'train.ipynb'), cacheDir: path.join(work, 'cache') });
  assert.equal(result.format, 'notebook');
  const nb = JSON.parse(await readFile(result.file, 'utf8'));
  // nbformat's v4 schema (python nbformat is not installed here): these keys, no others.
  assert.deepEqual(Object.keys(nb).sort(), ['cells', 'metadata', 'nbformat', 'nbformat_minor']);
  assert.equal(nb.nbformat, 4);
  assert.ok(Number.isInteger(nb.nbformat_minor));
  assert.equal(nb.metadata.kernelspec.name, 'python3');
  for (const cell of nb.cells) {
    const keys = cell.cell_type === 'code' ? ['cell_type', 'execution_count', 'metadata', 'outputs', 'source'] : ['cell_type', 'metadata', 'source'];
    assert.deepEqual(Object.keys(cell).sort(), keys);
    assert.ok(Array.isArray(cell.source) && cell.source.every((line: unknown) => typeof line === 'string'));
    if (cell.cell_type === 'code') assert.deepEqual([cell.execution_count, cell.outputs], [null, []]);
    else assert.equal(cell.cell_type, 'markdown');
  }
  const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code').map((c: { source: string[] }) => c.source.join('')).join('\n\n');
  for (const line of code.split('\n').filter((l: string) => l.trim())) assert.ok(script.includes(line), `the notebook's line is the script's: ${line}`);
  if (hasPython) {
    const file = path.join(work, 'notebook_code.py');
    await writeFile(file, code);
    execFileSync('python3', ['-m', 'py_compile', file]);
  }
});
