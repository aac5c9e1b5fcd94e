// Text runs: a text experiment's data (CSV/TSV/JSONL or class folders of .txt), its base (a BERT checkpoint) and its
// head input (pooled vectors, the [CLS] state or hidden states entering the first trainable encoder layer), plugged
// into the one trainer; the run folder is the image run's, with the text model in model/.
import type { TrainingListener, TrainResult } from '../../protocol/host';
import { DATA_PROBLEMS_FILE } from '../../shared/runLayout';
import { resolveTrainable } from '../models/freeze';
import { writeFileAtomic } from '../runs';
import { countByClass, resolveClassWeights } from '../training/classWeights';
import { createHeadLayers, headModel } from '../training/head';
import { disposeLayerWeights, restoreWeights, snapshotWeights } from '../training/tensors';
import { trainRun, type KindRun, type TrainingKind, type TrainOptions } from '../training/trainer';
import { join } from 'node:path';
import { loadBertBase, type BertBase } from './bertBase';
import { describeBertLayers, weightNamesOf } from './bertLayers';
import type { NamedTensor } from './bertModel';
import { exportTextModel } from './textArtifacts';
import { measureTokens } from './textDataset';
import { textReport } from './textUse';
import { loadTextExperimentFile, type LoadedTextExperiment, type TextExperiment } from './textExperiment';
import { prepareTextPhase } from './textPhase';
import { planTextData, skippedTexts, type TextPlan } from './textPlan';

export type TextTrainOptions = TrainOptions;

/** Problems beyond this many go to data-problems.json only, so a noisy dataset does not flood the log. */
const LOGGED_PROBLEMS = 20;

/** The experiment as run, with absolute paths, so the run folder alone can resume or be re-evaluated. */
function snapshotOf(loaded: LoadedTextExperiment): TextExperiment {
  const { experiment, sources, baseRef } = loaded;
  return { ...experiment, data: { ...experiment.data, ...sources }, base: { ...experiment.base, model: baseRef } };
}

function logData(listener: TrainingListener, plan: TextPlan, base: BertBase, maxLength: number): void {
  const log = (message: string, level: 'info' | 'warn' = 'info') => listener.log({ level, message });
  const columns = plan.columns ? `; text column "${plan.columns.text}", label column "${plan.columns.label}" (${plan.columns.how === 'values' ? 'guessed from the values' : `from the ${plan.columns.how === 'named' ? 'experiment' : 'header'}`})` : '';
  log(`data: ${plan.classes.length} classes (${plan.classes.join(', ')}), ${plan.train.length} train / ${plan.val.length} val / ${plan.test.length} test texts, ${plan.format}${columns}`);
  const tokens = measureTokens([...plan.train, ...plan.val, ...plan.test], plan.texts, base.tokenizer, maxLength);
  plan.problems.push(...tokens.problems);
  const { mean, p95, longest, truncated } = tokens.stats;
  log(`tokens per text: mean ${mean.toFixed(1)}, 95th percentile ${p95}, longest ${longest}; ${truncated} text(s) cut to maxLength ${maxLength}`, truncated ? 'warn' : 'info');
  const skipped = skippedTexts(plan.problems);
  for (const problem of skipped.slice(0, LOGGED_PROBLEMS)) log(`${problem.path}: ${problem.reason}`, 'warn');
  if (skipped.length > LOGGED_PROBLEMS) log(`… and ${skipped.length - LOGGED_PROBLEMS} more data problems (see data-problems.json in the run folder)`, 'warn');
}

async function openTextRun(loaded: LoadedTextExperiment, options: TrainOptions): Promise<KindRun> {
  const { listener } = options;
  const { experiment } = loaded;
  const plan = await planTextData(loaded);
  const base = await loadBertBase(loaded.baseRef, {
    cacheDir: options.cacheDir, revision: experiment.base.revision, signal: options.signal, maxLength: experiment.data.maxLength,
    onProgress: (p) => listener.progress({ stage: 'download', done: p.loaded, total: p.total ?? 0, message: `downloading ${p.file}` }),
  });
  try {
    const { maxLength } = experiment.data;
    const { pooling } = experiment.head;
    listener.log({ level: 'info', message: `base: BERT L-${base.config.numLayers} H-${base.config.hiddenSize} A-${base.config.numHeads}, ${base.info.params.toLocaleString('en-US')} parameters — ${base.info.origin}` });
    logData(listener, plan, base, maxLength);
    const layers = describeBertLayers(base.model, { maxLength, pooling });
    const trainableSets = experiment.phases.map((phase) => resolveTrainable(layers, phase.trainable));
    const classWeights = resolveClassWeights(experiment.classWeights, plan.classes, countByClass(plan.train, plan.classes.length));
    // texts the run could not read (over-long ones are cut, not skipped)
    const skipped = skippedTexts(plan.problems);
    // the pooled vector is the head's input: its own pooling setting is a no-op here
    const headLayers = createHeadLayers({ ...experiment.head, pooling: 'avg' }, plan.classes.length, experiment.seed);
    const head = headModel([base.config.hiddenSize], headLayers);
    const trainedNames = [...new Set(trainableSets.flatMap((set) => weightNamesOf(base.model, set)))];
    const ctx = {
      base, head, pooling, maxLength, texts: plan.texts, trainSamples: plan.train, seed: experiment.seed, cacheDir: options.cacheDir,
      signal: options.signal, progress: listener.progress.bind(listener),
    };
    return {
      snapshot: snapshotOf(loaded), classes: plan.classes, val: plan.val, test: plan.test, classWeights,
      opened: (runDir) => writeFileAtomic(join(runDir, DATA_PROBLEMS_FILE), JSON.stringify(plan.problems, null, 2)),
      snapshotWeights: (): NamedTensor[] => [...snapshotWeights(headLayers), ...base.model.snapshot(trainedNames)],
      restoreWeights: (saved) => {
        restoreWeights(headLayers, saved.filter((w) => !base.model.weights.has(w.name)));
        base.model.restore(saved.filter((w) => trainedNames.includes(w.name)));
      },
      preparePhase: (p) => prepareTextPhase(ctx, trainableSets[p], experiment.phases[p].batchSize),
      report: (split, _samples, evaluation) => textReport(split, plan.classes, evaluation, plan.texts),
      exportModel: async (runDir) => {
        await exportTextModel(runDir, base, headLayers, {
          kind: 'text', classes: plan.classes, maxLength, pooling, head: { hiddenUnits: experiment.head.hiddenUnits, dropout: experiment.head.dropout },
          base: { ref: loaded.baseRef, revision: experiment.base.revision, fingerprint: base.info.fingerprint, origin: base.info.origin }, trainedWeights: trainedNames,
        });
      },
      skipped: () => skipped,
      dispose: () => {
        disposeLayerWeights(head.layers);
        base.model.dispose();
      },
    };
  } catch (error) {
    base.model.dispose();
    throw error;
  }
}

export const textKind: TrainingKind<LoadedTextExperiment> = { load: loadTextExperimentFile, open: openTextRun };

export function trainTextExperiment(options: TextTrainOptions): Promise<TrainResult> {
  return trainRun(textKind, options);
}
