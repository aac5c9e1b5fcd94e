// Valid sample messages of every kind, shared by the validator and fuzz tests.
import type { ToCompareWebview, ToDashboardWebview, ToLayersWebview } from '../../../src/protocol/webview';

export const layerRow = (index: number, block: string) => ({ index, name: `layer_${index}`, className: 'Conv2D', outputShape: '7×7×32', params: 10 * index, trainableParams: 10 * index, block, inferenceOnly: false });

export const layersShow: ToLayersWebview = {
  type: 'layers/show', restoreKey: 'file:///w/a.experiment.json',
  experiment: { label: 'a.experiment.json', phases: [{ name: 'feature-extraction', epochs: 4, batchSize: 32, learningRate: 0.001, trainable: { none: true } }, { name: 'fine-tune', epochs: 1, batchSize: 32, learningRate: 1e-4, trainable: { topBlocks: 1 } }] },
  model: { kind: 'image', displayName: 'Tiny', inputSize: 96, featureLayer: 'layer_5', layers: [0, 1, 2, 3, 4, 5].map((i) => layerRow(i, i < 3 ? 'stem' : 'top')) },
};

const split = {
  split: 'val', classes: ['cat', 'dog'], count: 4, accuracy: 0.75, loss: 0.5, confusionMatrix: [[2, 0], [1, 1]],
  perClass: [{ name: 'cat', precision: 0.67, recall: 1, f1: 0.8, support: 2 }, { name: 'dog', precision: 1, recall: 0.5, f1: null, support: 2 }],
  macro: { precision: 0.83, recall: 0.75, f1: 0.73 },
  samples: [{ path: '/d/cat/1.jpg', image: 'https://file+.vscode-resource/d/cat/1.jpg', label: 0, predicted: 0, confidence: 0.9 }, { path: '/d/dog/2.jpg', label: 1, predicted: 0, confidence: 0.6 }],
};

export const epoch = { phaseIndex: 0, epoch: 1, loss: 1.2, accuracy: 0.5, valLoss: 1.1, valAccuracy: 0.55, learningRate: 0.001, seconds: 3.2 };
export const batch = { phaseIndex: 0, epoch: 1, batch: 3, batches: 18, loss: null, accuracy: 0.4, learningRate: 0.001, imagesPerSecond: 900 };
const header = { run: '20261128-155558-a', experiment: 'a', kind: 'image' as const, baseModel: 'nsfwjs_mobilenet_v2', dataset: '/d', phases: layersShow.experiment.phases };
const state = { state: 'completed' as const, phase: 'fine-tune', epoch: 1, engine: 'wasm', startedAt: '2026-11-28T15:55:58.550Z', updatedAt: '2026-11-28T15:56:41.376Z' };

export const dashboardMessages: ToDashboardWebview[] = [
  { type: 'run/snapshot', snapshot: { restoreKey: '/w/runs/a', header, state, epochs: [epoch], batches: [batch], evaluation: { val: split, test: { ...split, split: 'test' } } } },
  { type: 'run/batch', point: batch },
  { type: 'run/epoch', point: epoch },
  { type: 'run/state', state: { state: 'running' } },
  { type: 'run/evaluation', evaluation: { val: split } },
];

export const compareMessages: ToCompareWebview[] = [
  { type: 'compare/show', restoreKey: '["/w/runs/a"]', runs: [{ id: 'a', header, state, epochs: [epoch], evaluation: { valAccuracy: 0.7, macroF1: 0.6 } }] },
  { type: 'compare/epoch', id: 'a', point: epoch },
];

export const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
