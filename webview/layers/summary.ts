// What the selected phase trains (parameters, layers, BatchNorm) and what the next run will do, phase by phase.
import type { LayerView, PhaseView } from '../../src/protocol/webview';
import { formatCompact, formatRate } from '../../src/shared/format';
import { checkTrainable, describeSpec, groupBlocks } from '../../src/shared/freeze';

export interface ParamSummary { total: number; trainable: number; frozen: number; layers: number; batchNorm: number; blocks: string[] }

/** Keras' counting: an unfrozen BatchNormalization trains gamma and beta, never its moving statistics. */
export function paramSummary(layers: readonly LayerView[], trainable: ReadonlySet<string>): ParamSummary {
  const on = layers.filter((l) => trainable.has(l.name));
  const total = layers.reduce((sum, l) => sum + l.params, 0);
  const train = on.reduce((sum, l) => sum + l.trainableParams, 0);
  const blocks = groupBlocks(layers).filter((b) => b.layers.some((l) => trainable.has(l.name))).map((b) => b.block);
  return { total, trainable: train, frozen: total - train, layers: on.length, batchNorm: on.filter((l) => l.inferenceOnly).length, blocks };
}

/** "154 layers · input 96px · features from out_relu"; a BERT reads tokens, not pixels. */
export function modelCaption(model: { kind: 'image' | 'text'; layers: readonly unknown[]; inputSize: number; featureLayer: string }): string {
  const input = model.kind === 'text' ? `${model.inputSize} tokens per text` : `input ${model.inputSize}px`;
  return `${model.layers.length} layers · ${input} · features from ${model.featureLayer}`;
}

export interface PhasePlan { title: string; detail: string; problem?: string }

export function phasePlans(phases: readonly PhaseView[], layers: readonly LayerView[]): PhasePlan[] {
  return phases.map((phase) => {
    const title = `${phase.name}: ${phase.epochs} epoch${phase.epochs === 1 ? '' : 's'}, learning rate ${formatRate(phase.learningRate)}`;
    const resolved = checkTrainable(layers, phase.trainable);
    if ('error' in resolved) return { title, detail: describeSpec(phase.trainable), problem: resolved.error };
    const s = paramSummary(layers, resolved.names);
    if (s.layers === 0) return { title, detail: 'trains the new head only (base frozen)' };
    const where = s.blocks.length <= 3 ? s.blocks.join(', ') : `${s.blocks[0]} … ${s.blocks[s.blocks.length - 1]}`;
    return { title, detail: `trains the head and ${s.layers} base layer${s.layers === 1 ? '' : 's'} (${formatCompact(s.trainable)} parameters) in ${where}` };
  });
}
