// Runs no training produces quickly: 20,000 batches, 60 classes (one named like an HTML injection), a live replay.
import type { BatchPoint, EpochPoint, EvaluationSplit, RunSnapshot } from '../../../../src/protocol/webview';

export const INJECTION = '"><img src=x onerror=alert(1)>';

/** A long two-phase run: 15,000 feature-extraction and 5,000 fine-tuning batches with noisy, falling loss. */
export function longRun(base: RunSnapshot): RunSnapshot {
  const batches: BatchPoint[] = [];
  const epochs: EpochPoint[] = [];
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
  const plan = [{ epochs: 30, lr: 1e-3 }, { epochs: 10, lr: 1e-5 }];
  plan.forEach(({ epochs: count, lr }, phaseIndex) => {
    for (let epoch = 1; epoch <= count; epoch++) {
      for (let batch = 1; batch <= 500; batch++) {
        const t = (phaseIndex * 30 + epoch - 1 + batch / 500) / 40;
        batches.push({ phaseIndex, epoch, batch, batches: 500, loss: 2.4 * Math.exp(-3 * t) + 0.15 + noise() * 0.5, accuracy: Math.min(1, 0.1 + 0.85 * (1 - Math.exp(-4 * t)) + noise() * 0.2), learningRate: lr, imagesPerSecond: 900 + noise() * 100 });
      }
      const t = (phaseIndex * 30 + epoch) / 40;
      epochs.push({ phaseIndex, epoch, loss: 2.4 * Math.exp(-3 * t) + 0.15, accuracy: 0.1 + 0.85 * (1 - Math.exp(-4 * t)), valLoss: 2.4 * Math.exp(-2.6 * t) + 0.3, valAccuracy: 0.1 + 0.8 * (1 - Math.exp(-3.5 * t)), learningRate: lr, seconds: 40 });
    }
  });
  return {
    ...base, batches, epochs, evaluation: undefined,
    header: { ...base.header, run: '20261201-120000-long', phases: base.header.phases.map((p, i) => ({ ...p, epochs: plan[i]?.epochs ?? p.epochs, learningRate: plan[i]?.lr ?? p.learningRate })) },
    state: { ...base.state, state: 'running', phase: base.header.phases[1]?.name ?? 'fine-tune', epoch: 10, updatedAt: undefined, startedAt: new Date(Date.now() - 3 * 3600_000).toISOString() },
  };
}

/** A 60-class evaluation whose confusions cluster, with one class named like an HTML injection. */
export function manyClasses(base: EvaluationSplit, classes = 60): EvaluationSplit {
  const names = Array.from({ length: classes }, (_, i) => (i === 3 ? INJECTION : `species_${String(i + 1).padStart(2, '0')}_${['oak', 'birch', 'maple', 'pine', 'fir'][i % 5]}`));
  const matrix = names.map((_, i) => names.map((__, j) => (i === j ? 20 + (i % 7) : Math.abs(i - j) === 1 ? (i * j) % 5 : (i * 7 + j * 3) % 41 === 0 ? 3 : 0)));
  const perClass = names.map((name, i) => {
    const tp = matrix[i][i];
    const support = matrix[i].reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + row[i], 0);
    const precision = tp / predicted;
    const recall = tp / support;
    return { name, precision, recall, f1: (2 * precision * recall) / (precision + recall), support };
  });
  const mean = (k: 'precision' | 'recall' | 'f1') => perClass.reduce((a, r) => a + r[k], 0) / classes;
  const samples = base.samples.map((s, n) => ({ ...s, label: n % classes, predicted: n % 3 === 0 ? (n + 1) % classes : n % classes }));
  const count = matrix.flat().reduce((a, b) => a + b, 0);
  return {
    split: 'val', classes: names, count, accuracy: names.reduce((a, _, i) => a + matrix[i][i], 0) / count, loss: 0.8,
    confusionMatrix: matrix, perClass, macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') }, samples,
  };
}
