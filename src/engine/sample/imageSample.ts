// The image sample (`transfer-lab sample`, Create Sample Experiment): a small real dataset and a two-phase experiment, ready to train in a few minutes.
import { join, resolve } from 'node:path';
import { writeFashionSample } from './fashionSample';
import { writeExperimentFile } from '../experiment/writeExperiment';

export async function writeSample(dir: string, perClass: number): Promise<string> {
  const root = resolve(dir);
  const data = join(root, 'fashion');
  await writeFashionSample(data, { perClass });
  const file = join(root, 'fashion.experiment.json');
  // 96 px keeps the sample to minutes on a laptop CPU; the head trains on cached features, so 20 epochs are cheap.
  await writeExperimentFile({ file, data, base: 'nsfwjs_mobilenet_v2', strategy: 'fine-tune', epochs: 20, fineTuneEpochs: 3, inputSize: 96, force: true, name: 'fashion-sample' });
  return file;
}
