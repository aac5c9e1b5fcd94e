// What a Python script needs to redo a run in TensorFlow/Keras: the experiment as the run recorded it, the base as
// keras.applications builds it (or a .keras file of its starting weights), and each phase's trainable layers by name.
import type * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { Experiment } from '../../../protocol/experiment';
import { loadExperimentFile } from '../../experiment/load';
import { findCatalogEntry } from '../../../shared/catalog';
import { resolveTrainable } from '../../models/freeze';
import { describeLayers } from '../../models/layerTree';
import { loadBaseModel } from '../../models/load';
import type { Preprocessing } from '../../models/preprocess';
import { EXPERIMENT_FILE } from '../../../shared/runLayout';
import type { KerasArchitecture } from '../../models/architectures';

/** keras.applications constructors of the architectures our catalog builds with Keras' layer names. */
const APPLICATIONS: Record<KerasArchitecture, string> = {
  vgg16: 'VGG16', resnet50: 'ResNet50', inception_v3: 'InceptionV3', mobilenet_v1: 'MobileNet', mobilenet_v2: 'MobileNetV2',
};

export type ScriptBase =
  | { kind: 'applications'; constructor: string; alpha?: number }
  /** Weights keras.applications does not have (nsfwjs checkpoints, user files): the base's own .keras file. */
  | { kind: 'file'; fileName: string };

export interface ScriptPlan {
  experiment: Experiment;
  /** Absolute data folders. */
  folders: { root?: string; train?: string; val?: string; test?: string };
  inputSize: number;
  preprocessing: Preprocessing;
  featureLayer: string;
  base: ScriptBase;
  /** Every layer of the base with weights, in order. */
  baseLayers: string[];
  /** Per phase, the base layers (with weights) that train; all others stay frozen. */
  trainable: string[][];
}

/** The plan, and the base as the run started from it (the caller writes it as .keras for a `file` base, then disposes it). */
export async function scriptPlan(runDir: string, cacheDir: string, baseFileName: string): Promise<{ plan: ScriptPlan; baseModel: tf.LayersModel }> {
  const loaded = await loadExperimentFile(join(runDir, EXPERIMENT_FILE));
  const { experiment } = loaded;
  // Offline: a keras.applications base not downloaded loads with random weights, which is enough for its layer names.
  const { model, info } = await loadBaseModel(loaded.baseModelRef, { inputSize: experiment.data.inputSize, cutLayer: experiment.base.featureLayer, cacheDir, download: false });
  const layers = describeLayers(model);
  const withWeights = new Set(layers.filter((l) => l.params > 0).map((l) => l.name));
  const trainable = experiment.phases.map((phase) => [...resolveTrainable(layers, phase.trainable)].filter((name) => withWeights.has(name)));
  const entry = findCatalogEntry(loaded.baseModelRef);
  const base: ScriptBase = entry?.source.kind === 'keras'
    ? { kind: 'applications', constructor: APPLICATIONS[entry.architecture], alpha: entry.alpha }
    : { kind: 'file', fileName: baseFileName };
  const plan = {
    experiment, folders: loaded.folders, inputSize: info.inputSize, preprocessing: info.preprocessing, featureLayer: info.cutLayer,
    base, baseLayers: layers.filter((l) => withWeights.has(l.name)).map((l) => l.name), trainable,
  };
  return { plan, baseModel: model };
}
