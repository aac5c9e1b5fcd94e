// Every way the layers view changes what trains, as the TrainableSpec it writes into the experiment.
import type { TrainableSpec } from '../../src/protocol/experiment';
import type { LayerView } from '../../src/protocol/webview';
import { groupBlocks, simplestSpec, withLayers } from '../../src/shared/freeze';

export type BulkAction =
  | { kind: 'freezeAll' }
  | { kind: 'unfreezeAll' }
  | { kind: 'topLayers'; count: number }
  | { kind: 'topBlocks'; count: number }
  /** Keras' fine_tune_at: this layer and every layer above it train. */
  | { kind: 'unfreezeFrom'; layer: string }
  /** Keeps the current choice above this layer and freezes everything before it. */
  | { kind: 'freezeBelow'; layer: string }
  | { kind: 'toggleLayer'; layer: string }
  | { kind: 'toggleBlock'; block: string };

const clamp = (n: number, max: number) => Math.min(max, Math.max(1, Math.round(n)));

export function specFor(action: BulkAction, layers: readonly LayerView[], trainable: ReadonlySet<string>): TrainableSpec {
  switch (action.kind) {
    case 'freezeAll': return { none: true };
    case 'unfreezeAll': return { all: true };
    case 'topLayers': return { topLayers: clamp(action.count, layers.length) };
    case 'topBlocks': return { topBlocks: clamp(action.count, groupBlocks(layers).length) };
    case 'unfreezeFrom': return { fromLayer: action.layer };
    case 'freezeBelow': {
      const from = layers.findIndex((l) => l.name === action.layer);
      return simplestSpec(layers, withLayers(trainable, layers.slice(0, Math.max(0, from)).map((l) => l.name), false));
    }
    case 'toggleLayer': return simplestSpec(layers, withLayers(trainable, [action.layer], !trainable.has(action.layer)));
    case 'toggleBlock': {
      const names = layers.filter((l) => l.block === action.block).map((l) => l.name);
      return simplestSpec(layers, withLayers(trainable, names, !names.every((n) => trainable.has(n))));
    }
  }
}
