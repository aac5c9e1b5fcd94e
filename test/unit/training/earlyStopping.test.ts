import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EarlyStopping } from '../../../src/engine/training/earlyStopping';
import type { EarlyStoppingSpec } from '../../../src/protocol/experiment';

interface Case {
  name: string;
  spec: Partial<EarlyStoppingSpec>;
  values: number[];
  /** Epoch (1-based) at which update() says stop, or undefined when it never does. */
  stopAt?: number;
  best: number;
}

// Fake loss/accuracy sequences in the style of Keras' early_stopping_test.py.
const cases: Case[] = [
  { name: 'loss keeps improving', spec: {}, values: [1, 0.9, 0.8, 0.7], stopAt: undefined, best: 4 },
  { name: 'stops after patience epochs without improvement', spec: { patience: 2 }, values: [1, 0.5, 0.6, 0.7, 0.4], stopAt: 4, best: 2 },
  { name: 'an improvement resets the wait', spec: { patience: 2 }, values: [1, 1.1, 0.9, 1.0, 1.2], stopAt: 5, best: 3 },
  { name: 'minDelta ignores tiny improvements', spec: { patience: 2, minDelta: 0.1 }, values: [1, 0.95, 0.92], stopAt: 3, best: 1 },
  { name: 'accuracy is maximised', spec: { monitor: 'val_accuracy', patience: 1 }, values: [0.5, 0.7, 0.6], stopAt: 3, best: 2 },
  { name: 'equal values are not improvements', spec: { patience: 1 }, values: [0.5, 0.5], stopAt: 2, best: 1 },
];

for (const c of cases) {
  test(`early stopping: ${c.name}`, () => {
    const spec: EarlyStoppingSpec = { monitor: 'val_loss', patience: 3, minDelta: 0, restoreBestWeights: true, ...c.spec };
    const stopper = new EarlyStopping(spec);
    let stoppedAt: number | undefined;
    const improvedAt: number[] = [];
    for (const [i, value] of c.values.entries()) {
      const decision = stopper.update(i + 1, { valLoss: value, valAccuracy: value });
      if (decision.improved) improvedAt.push(i + 1);
      if (decision.stop) {
        stoppedAt = i + 1;
        break;
      }
    }
    assert.equal(stoppedAt, c.stopAt);
    assert.equal(stopper.bestEpoch, c.best);
    assert.equal(improvedAt.at(-1), c.best);
  });
}
