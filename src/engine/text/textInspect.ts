// A BERT base described in the host's model/inspect reply shape, so the Layers view and `inspect` work for text.
import type { InspectModelResult } from '../../protocol/host';
import { loadBertBase } from './bertBase';
import { describeBertLayers } from './bertLayers';
import type { TextPooling } from './bertModel';
import type { HubOptions } from './hub';

export async function inspectTextBase(ref: string, options: HubOptions & { maxLength?: number; pooling?: TextPooling }): Promise<InspectModelResult> {
  const base = await loadBertBase(ref, options);
  try {
    const { config } = base;
    const pooling = options.pooling ?? 'mean';
    const layers = describeBertLayers(base.model, { maxLength: options.maxLength, pooling });
    return {
      id: ref, displayName: `BERT L-${config.numLayers} H-${config.hiddenSize} A-${config.numHeads}`, source: base.info.folder, origin: base.info.origin,
      inputSize: options.maxLength ?? 128, preprocessing: `WordPiece (${config.vocabSize} tokens)`, featureLayer: `${pooling} pooling`,
      weights: `model.safetensors (fingerprint ${base.info.fingerprint.slice(0, 12)})`,
      params: layers.reduce((sum, l) => sum + l.params, 0), trainableParams: 0,
      layers,
    };
  } finally {
    base.model.dispose();
  }
}
