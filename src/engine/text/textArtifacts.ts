// What a finished text run leaves in model/: the head's weights, the encoder weights the run changed, and a card
// naming the base checkpoint by fingerprint. The untouched base is referenced, not copied (bert-base is 440 MB);
// loading checks the fingerprint, so a different checkpoint under the same name is refused.
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../runs/atomic';
import { runModelMissing } from '../runs/runModelMissing';
import { createHeadLayers, headModel } from '../training/head';
import { MODEL_DIR } from '../training/artifacts';
import { restoreWeights, snapshotWeights } from '../training/tensors';
import { ModelError } from '../models/errors';
import { loadBertBase, type BertBase } from './bertBase';
import type { TextPooling } from './bertModel';
import type { HubOptions } from './hub';
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from './safetensors';

const TEXT_CARD_FILE = 'text-model.json';
const HEAD_FILE = 'head.safetensors';
const ENCODER_FILE = 'encoder-trained.safetensors';

export interface TextModelCard {
  kind: 'text';
  classes: string[];
  maxLength: number;
  pooling: TextPooling;
  head: { hiddenUnits: number; dropout: number };
  /** Folder or hub id of the base, and the fingerprint its weights must have. */
  base: { ref: string; revision?: string; fingerprint: string; origin: string };
  /** Encoder weights this run trained, stored in encoder-trained.safetensors. */
  trainedWeights: string[];
}

export interface TextRunModel {
  card: TextModelCard;
  base: BertBase;
  head: tf.LayersModel;
  dispose(): void;
}

export async function exportTextModel(runDir: string, base: BertBase, headLayers: tf.layers.Layer[], card: TextModelCard): Promise<string> {
  const dir = join(runDir, MODEL_DIR);
  await mkdir(dir, { recursive: true });
  await writeSafetensors(join(dir, HEAD_FILE), snapshotWeights(headLayers));
  if (card.trainedWeights.length) await writeSafetensors(join(dir, ENCODER_FILE), base.model.snapshot(card.trainedWeights));
  await writeFileAtomic(join(dir, 'labels.json'), JSON.stringify(card.classes, null, 2));
  await writeFileAtomic(join(dir, TEXT_CARD_FILE), JSON.stringify(card, null, 2));
  return dir;
}

/** True when the run's exported model is a text model (the CLI and host pick the text path by this). */
export async function isTextRun(runDir: string): Promise<boolean> {
  return readFile(join(runDir, MODEL_DIR, TEXT_CARD_FILE)).then(() => true, () => false);
}

export async function loadTextRunModel(runDir: string, hub: HubOptions): Promise<TextRunModel> {
  const dir = join(runDir, MODEL_DIR);
  let card: TextModelCard;
  try {
    card = JSON.parse(await readFile(join(dir, TEXT_CARD_FILE), 'utf8'));
  } catch {
    throw await runModelMissing(runDir, 'exported text model');
  }
  const base = await loadBertBase(card.base.ref, { ...hub, revision: card.base.revision });
  try {
    if (base.info.fingerprint !== card.base.fingerprint) {
      throw new ModelError(`the base checkpoint changed since this run (fingerprint ${base.info.fingerprint.slice(0, 12)}…, the run used ${card.base.fingerprint.slice(0, 12)}…)`, card.base.ref, 'Restore the checkpoint the run was trained on');
    }
    if (card.trainedWeights.length) {
      const file = join(dir, ENCODER_FILE);
      const stored = await readSafetensors(file, card.trainedWeights);
      base.model.restore(card.trainedWeights.map((name) => ({ name, ...stored.get(name)! })));
    }
    const layers = createHeadLayers({ pooling: 'avg', ...card.head }, card.classes.length, 0);
    const head = headModel([base.config.hiddenSize], layers);
    const headFile = join(dir, HEAD_FILE);
    const names = [...(await readSafetensorsHeader(headFile)).entries.keys()];
    const saved = await readSafetensors(headFile, names);
    restoreWeights(layers, names.map((name) => ({ name, ...saved.get(name)! })));
    return { card, base, head, dispose: () => (base.model.dispose(), head.dispose()) };
  } catch (error) {
    base.model.dispose();
    throw error;
  }
}
