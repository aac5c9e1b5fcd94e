// Worker thread: its own tfjs engine and copy of the frozen base; turns pixel batches into frozen outputs.
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import { selectEngine } from '../backend/select';
import type { FromWorker, ToWorker, WorkerSetup } from './parallelProtocol';
import { loadFrozen } from './parallelRecipe';
import { pixelsToInput } from './tensors';

const port = parentPort!;
const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function main(): Promise<void> {
  const { recipe } = workerData as WorkerSetup;
  await selectEngine(recipe.engine);
  const forward = await loadFrozen(recipe);
  port.on('message', (message: ToWorker) => {
    try {
      const output = tf.tidy(() => forward.run(pixelsToInput(message.pixels, recipe.base.inputSize, recipe.base.preprocessing)));
      const values = output.dataSync() as Float32Array;
      output.dispose();
      send({ kind: 'result', id: message.id, values }, [values.buffer as ArrayBuffer]);
    } catch (error) {
      send({ kind: 'failed', id: message.id, message: (error as Error).message });
    }
  });
  send({ kind: 'ready' });
}

main().catch((error: Error) => send({ kind: 'failed', message: error.message }));
