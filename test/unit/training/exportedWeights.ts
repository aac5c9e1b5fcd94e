// Compares a run's exported model with checkpoint tensors, value for value.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { readLayersModelFiles } from '../../../src/engine/models/layersFiles';
import type { CheckpointTensor } from '../../../src/engine/runs';

/** Asserts the exported model holds exactly these tensors (checkpoint names are `<layer>:<weight index>`). */
export async function assertExportedWeights(runDir: string, tensors: readonly CheckpointTensor[], what: string): Promise<void> {
  const exported = await tf.loadLayersModel(tf.io.fromMemory(await readLayersModelFiles(join(runDir, 'model', 'model.json'))));
  try {
    for (const { name, data } of tensors) {
      const [layer, index] = name.split(':');
      assert.deepEqual(exported.getLayer(layer).getWeights()[Number(index)].dataSync(), data, `${name} is ${what}`);
    }
  } finally {
    exported.dispose();
  }
}
