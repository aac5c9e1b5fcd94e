// Text runs' part of using a run (training/useRun.ts): the BERT base with the run's head, labelled text files,
// texts to classify.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { EvaluationReport, Prediction } from '../../protocol/host';
import { report } from '../training/artifacts';
import type { Forward, SourceEvaluation } from '../training/evaluate';
import { rankClasses, runUse, type RunUser } from '../training/useRun';
import { EXPERIMENT_FILE } from '../../shared/runLayout';
import type { HubOptions } from './hub';
import { idsSource } from './textBatches';
import { loadTextDataset } from './textDataset';
import { loadTextExperimentFile } from './textExperiment';
import { loadTextRunModel, type TextRunModel } from './textArtifacts';
import { planTextData } from './textPlan';

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
    rows.forEach((row, i) => out.push({ text: chunk[i], top: rankClasses(row, model.card.classes, top), truncated: batch.truncated[i] }));
  }
  return out;
}

/** Characters of each evaluated text kept in the report: enough to recognise it, small enough for 10,000 of them. */
export const TEXT_PREVIEW = 300;

/** The evaluation report, each sample with the start of its text. */
export function textReport(split: string, classes: string[], evaluation: SourceEvaluation, texts: ReadonlyMap<string, string>): EvaluationReport {
  const result = report(split, classes, evaluation);
  return { ...result, samples: result.samples.map((s) => ({ ...s, text: texts.get(s.path)?.slice(0, TEXT_PREVIEW) })) };
}

const textUser: RunUser<TextRunModel> = {
  load: loadTextRunModel,
  forward: forwardOf,
  evaluationData: async (model, runDir, data) => {
    const { classes, maxLength } = model.card;
    const { samples, texts } = data
      ? await loadTextDataset({ path: data }, classes)
      : await planTextData(await loadTextExperimentFile(join(runDir, EXPERIMENT_FILE))).then((plan) => ({ samples: plan.val, texts: plan.texts }));
    return { source: idsSource(samples, texts, model.base.tokenizer, maxLength, 32), report: (split, evaluation) => textReport(split, classes, evaluation, texts) };
  },
  predict: async (model, { texts, top }) => {
    if (!texts) throw new Error('this is a text run: it classifies texts, not image files — give texts (the CLI: --text "…", a .txt file or -)');
    const rows = await predictTexts(model, texts, top);
    return rows.map((row, i): Prediction => ({ path: `text:${i + 1}`, text: row.text, top: row.top, truncated: row.truncated }));
  },
};

export const textRunUse = runUse(textUser);

/** Evaluates on labelled texts (a file or class folders), or on the run's own validation split. */
export const evaluateTextRun = (runDir: string, hub: HubOptions, data?: string): Promise<EvaluationReport> => textRunUse.evaluate(runDir, data, hub);
