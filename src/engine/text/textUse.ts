// Uses a finished text run: the classes of a piece of text with confidences, or an evaluation on labelled texts.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { EvaluationReport } from '../../protocol/host';
import { report } from '../training/artifacts';
import { evaluateSource, type Forward, type SourceEvaluation } from '../training/evaluate';
import { EXPERIMENT_FILE } from '../../shared/runLayout';
import type { HubOptions } from './hub';
import { idsSource } from './textBatches';
import { loadTextDataset } from './textDataset';
import { loadTextExperimentFile } from './textExperiment';
import { loadTextRunModel, type TextRunModel } from './textArtifacts';
import { planTextData } from './textPlan';
import type { TextSourceSpec } from './textSources';

export interface TextPrediction {
  text: string;
  top: { label: string; confidence: number }[];
  /** The text had more tokens than the model reads; only the start was classified. */
  truncated: boolean;
}

function forwardOf(model: TextRunModel): Forward {
  return (ids) => model.head.apply(model.base.model.forward(ids as tf.Tensor2D, model.base.tokenizer.padId, model.card.pooling), { training: false }) as tf.Tensor2D;
}

/** Top classes of each text, most confident first. */
export async function predictTexts(model: TextRunModel, texts: readonly string[], top = 3, batchSize = 16): Promise<TextPrediction[]> {
  const { tokenizer } = model.base;
  const forward = forwardOf(model);
  const out: TextPrediction[] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    const chunk = texts.slice(start, start + batchSize);
    const batch = tokenizer.encodeBatch(chunk, model.card.maxLength);
    const probabilities = tf.tidy(() => tf.softmax(forward(tf.tensor2d(batch.ids, [batch.count, batch.length], 'int32'), false)));
    const rows = (await probabilities.array()) as number[][];
    probabilities.dispose();
    rows.forEach((row, i) => {
      const ranked = row.map((confidence, k) => ({ label: model.card.classes[k], confidence })).sort((a, b) => b.confidence - a.confidence);
      out.push({ text: chunk[i], top: ranked.slice(0, top), truncated: batch.truncated[i] });
    });
  }
  return out;
}

/** Loads a run's model, classifies the texts, frees the model (one request of the host's run/predict). */
export async function predictTextRun(runDir: string, texts: readonly string[], hub: HubOptions, top = 3): Promise<TextPrediction[]> {
  const model = await loadTextRunModel(runDir, hub);
  try {
    return await predictTexts(model, texts, top);
  } finally {
    model.dispose();
  }
}

/** Characters of each evaluated text kept in the report: enough to recognise it, small enough for 10,000 of them. */
export const TEXT_PREVIEW = 300;

/** The evaluation report, each sample with the start of its text. */
export function textReport(split: string, classes: string[], evaluation: SourceEvaluation, texts: ReadonlyMap<string, string>): EvaluationReport {
  const result = report(split, classes, evaluation);
  return { ...result, samples: result.samples.map((s) => ({ ...s, text: texts.get(s.path)?.slice(0, TEXT_PREVIEW) })) };
}

/** Evaluates on labelled texts (`data`), or on the run's own validation split. */
export async function evaluateTextRun(runDir: string, hub: HubOptions, data?: TextSourceSpec): Promise<EvaluationReport> {
  const model = await loadTextRunModel(runDir, hub);
  try {
    const { classes, maxLength } = model.card;
    const { samples, texts } = data
      ? await loadTextDataset(data, classes)
      : await planTextData(await loadTextExperimentFile(join(runDir, EXPERIMENT_FILE))).then((plan) => ({ samples: plan.val, texts: plan.texts }));
    const source = idsSource(samples, texts, model.base.tokenizer, maxLength, 32);
    return textReport(data ? 'data' : 'val', classes, await evaluateSource(forwardOf(model), source), texts);
  } finally {
    model.dispose();
  }
}
