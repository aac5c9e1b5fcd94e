import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExportResult } from '../../../src/protocol/host';
import { loaderCells } from '../../../src/extension/commands/loaderNotebook';
import { exportText } from '../../../src/cli/render';

const h5: ExportResult = {
  format: 'h5', title: 'Keras model (HDF5)', loader: 'Keras 2 or 3', file: '/w/run.h5', labelsFile: '/w/labels.json', params: 10,
  python: 'import keras\nmodel = keras.models.load_model("/w/run.h5")\nprint(model.predict(x))',
};

test('after an export the Python that loads it is a runnable notebook code cell, under a heading that says what it loads', () => {
  const cells = loaderCells(h5);
  assert.deepEqual(cells.map((c) => [c.kind, c.language]), [['markdown', 'markdown'], ['markdown', 'markdown'], ['code', 'python']]);
  assert.match(cells[0].value, /^# Load the Keras model \(HDF5\)\n\n`\/w\/run\.h5`$/);
  assert.equal(cells[1].value, '## Load it in Python (Keras 2 or 3, with Pillow and NumPy)');
  assert.equal(cells[2].value, h5.python, 'the whole snippet in one cell, unchanged');
});

test('an ONNX export gets one code cell per language, each in its own language', () => {
  const onnx: ExportResult = { ...h5, format: 'onnx', title: 'ONNX model', loader: 'onnxruntime', file: '/w/run.onnx', python: 'import onnxruntime', otherLanguages: { csharp: 'using Microsoft.ML.OnnxRuntime;', javascript: "const ort = require('onnxruntime-node');" } };
  const code = loaderCells(onnx).filter((c) => c.kind === 'code');
  assert.deepEqual(code.map((c) => [c.language, c.value]), [['python', 'import onnxruntime'], ['csharp', 'using Microsoft.ML.OnnxRuntime;'], ['javascript', "const ort = require('onnxruntime-node');"]]);
  assert.equal(loaderCells(onnx)[0].value.split('\n')[0], '# Load the ONNX model and classify a photo');
});

test('the CLI prints the same sections after an export', () => {
  assert.equal(exportText(h5), `Keras model (HDF5), 10 weights: /w/run.h5\n\nLoad it in Python (Keras 2 or 3, with Pillow and NumPy):\n\n${h5.python}`);
});
