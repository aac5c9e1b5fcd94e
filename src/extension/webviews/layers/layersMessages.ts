// The layers view's data, built from an inspect result, and the check that an edit names only real layers. No vscode.
import { isTextExperiment, phaseName, type AnyExperiment } from '../../../protocol/experiment';
import type { InspectModelResult, LayerRow } from '../../../protocol/host';
import type { FromLayersWebview, LayerView, ToLayersWebview } from '../../../protocol/webview';
import { formatShape } from '../../../shared/format';
import { checkTrainable } from '../../../shared/freeze';

export type LayersShow = Extract<ToLayersWebview, { type: 'layers/show' }>;
type SetTrainable = Extract<FromLayersWebview, { type: 'layers/setTrainable' }>;

// The engine's rows also carry trainableParams (BatchNormalization's moving statistics never train).
function layerView(row: LayerRow & { trainableParams?: number }): LayerView {
  return {
    index: row.index, name: row.name, className: row.className, outputShape: formatShape(row.outputShape).slice(0, 200),
    params: row.params, trainableParams: row.trainableParams ?? row.params, block: row.block, inferenceOnly: row.inferenceOnly === true,
  };
}

export function layersShow(restoreKey: string, label: string, experiment: AnyExperiment, model: InspectModelResult): LayersShow {
  return {
    type: 'layers/show', restoreKey,
    experiment: {
      label,
      phases: experiment.phases.map((p, i) => ({ name: phaseName(p, i), epochs: p.epochs, batchSize: p.batchSize, learningRate: p.learningRate, trainable: p.trainable })),
    },
    model: { kind: isTextExperiment(experiment) ? 'text' : 'image', displayName: model.displayName, inputSize: model.inputSize, featureLayer: model.featureLayer, layers: model.layers.map(layerView) },
  };
}

/** Why an edit cannot apply to the model and experiment on screen (unknown layer, phase or count), or undefined. */
export function editProblem(shown: LayersShow | undefined, edit: SetTrainable): string | undefined {
  if (!shown) return 'no model is shown';
  if (edit.phaseIndex >= shown.experiment.phases.length) return `the experiment has no phase ${edit.phaseIndex + 1}`;
  const resolved = checkTrainable(shown.model.layers, edit.spec);
  return 'error' in resolved ? resolved.error : undefined;
}
