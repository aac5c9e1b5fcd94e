// A text run as a Hugging Face `save_pretrained` folder: config.json (BERT fields, id2label/label2id,
// BertForSequenceClassification), model.safetensors under that class's weight names, and the tokenizer files, so
// `AutoModelForSequenceClassification.from_pretrained(folder)` classifies as the run did. That class puts one
// Linear layer on BERT's pooled output (tanh dense on [CLS]); runs whose head is anything else are refused.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExportResult } from '../../protocol/host';
import type { NamedTensor } from '../text/bertModel';
import type { HubOptions } from '../text/hub';
import { writeSafetensors } from '../text/safetensors';
import { loadTextRunModel, type TextModelCard, type TextRunModel } from '../text/textArtifacts';
import { MODEL_DIR, MODEL_FILES } from '../../shared/runLayout';
import { replaceFolder } from './exportFolder';

export const HF_ARCHITECTURE = 'BertForSequenceClassification';
/** Tokenizer files copied when the base has them; tokenizer_config.json is always written (it carries the length). */
const TOKENIZER_FILES = ['tokenizer.json', 'vocab.txt', 'special_tokens_map.json'];
/** Marks config.json as ours, so a later export may replace the folder and a foreign model folder never is. */
const RUN_KEY = 'transfer_lab_run';

/** Why this run's head has no exact BertForSequenceClassification equivalent, or undefined when it has one. */
export function hfMismatch(card: Pick<TextModelCard, 'pooling' | 'head'>): string | undefined {
  const problems = [
    card.pooling !== 'pooled' && `pools by ${card.pooling === 'mean' ? 'the mean of the token states' : 'the raw [CLS] state'} (head.pooling "${card.pooling}"), not BERT's pooler`,
    card.head.hiddenUnits > 0 && `has a hidden layer of ${card.head.hiddenUnits} units (head.hiddenUnits), not a single linear layer`,
  ].filter(Boolean);
  return problems.length ? `its head ${problems.join(' and ')}` : undefined;
}

/** The weights under BertForSequenceClassification's names; Linear weights in PyTorch's [out, in] layout. */
function classifierTensors(model: TextRunModel): NamedTensor[] {
  const logits = model.head.getLayer('head_logits');
  const [kernel, bias] = logits.getWeights();
  const [inputs, outputs] = kernel.shape;
  const transposed = kernel.transpose();
  const weight = { name: 'classifier.weight', shape: [outputs, inputs], data: transposed.dataSync() as Float32Array };
  transposed.dispose();
  return [
    ...model.base.model.snapshot().map((t) => ({ ...t, name: `bert.${t.name}` })),
    weight,
    { name: 'classifier.bias', shape: [outputs], data: bias.dataSync() as Float32Array },
  ];
}

async function hfConfig(model: TextRunModel, runName: string): Promise<Record<string, unknown>> {
  const base = JSON.parse(await readFile(path.join(model.base.info.folder, 'config.json'), 'utf8')) as Record<string, unknown>;
  const { classes } = model.card;
  return {
    ...base,
    architectures: [HF_ARCHITECTURE],
    model_type: 'bert',
    id2label: Object.fromEntries(classes.map((name, i) => [String(i), name])),
    label2id: Object.fromEntries(classes.map((name, i) => [name, i])),
    problem_type: 'single_label_classification',
    classifier_dropout: model.card.head.dropout,
    torch_dtype: 'float32',
    [RUN_KEY]: runName,
  };
}

async function writeTokenizerFiles(model: TextRunModel, folder: string): Promise<void> {
  const from = model.base.info.folder;
  for (const name of TOKENIZER_FILES) await copyFile(path.join(from, name), path.join(folder, name)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  const config = await readFile(path.join(from, 'tokenizer_config.json'), 'utf8').then((text) => JSON.parse(text) as Record<string, unknown>, () => ({}));
  // The run read at most maxLength tokens: `truncation=True` then cuts texts where the run did.
  await writeFile(path.join(folder, 'tokenizer_config.json'), JSON.stringify({ ...config, model_max_length: model.card.maxLength }, null, 2));
}

function pythonSnippet(folder: string, maxLength: number): string {
  return [
    'import torch',
    'from transformers import AutoModelForSequenceClassification, AutoTokenizer',
    '',
    `tokenizer = AutoTokenizer.from_pretrained(${JSON.stringify(folder)})`,
    `model = AutoModelForSequenceClassification.from_pretrained(${JSON.stringify(folder)}).eval()`,
    '',
    `inputs = tokenizer(["some text to classify"], truncation=True, max_length=${maxLength}, padding=True, return_tensors="pt")`,
    'with torch.no_grad():',
    '    probabilities = model(**inputs).logits.softmax(-1)[0]',
    'print(model.config.id2label[int(probabilities.argmax())], float(probabilities.max()))',
  ].join('\n');
}

/** Writes the run's classifier to `out` (default: `hf/` in the run folder), replacing an earlier hf export there. */
export async function exportHfRun(runDir: string, hub: HubOptions, out?: string): Promise<ExportResult> {
  const model = await loadTextRunModel(runDir, hub);
  try {
    const mismatch = hfMismatch(model.card);
    if (mismatch) {
      throw new Error(`${runDir}: cannot export as hf — ${mismatch}, so ${HF_ARCHITECTURE} would classify differently. `
        + 'Train with head.pooling "pooled" and head.hiddenUnits 0 to get a run Hugging Face can load as is.');
    }
    const folder = path.resolve(out ?? path.join(runDir, 'hf'));
    const runName = path.basename(path.resolve(runDir));
    const tensors = classifierTensors(model);
    await replaceFolder(path.resolve(runDir), folder, {
      what: 'hf export', marker: 'config.json',
      isEarlierExport: (existing) => readFile(path.join(existing, 'config.json'), 'utf8').then((text) => RUN_KEY in JSON.parse(text), () => false),
      write: async (fresh) => {
        await writeFile(path.join(fresh, 'config.json'), JSON.stringify(await hfConfig(model, runName), null, 2));
        await writeSafetensors(path.join(fresh, 'model.safetensors'), tensors, { format: 'pt' });
        await writeTokenizerFiles(model, fresh);
        await writeFile(path.join(fresh, MODEL_FILES.labels), JSON.stringify(model.card.classes, null, 2));
      },
    }, path.resolve(runDir, MODEL_DIR));
    return {
      format: 'hf', title: `Hugging Face ${HF_ARCHITECTURE} folder`, loader: 'pip install transformers torch', file: folder,
      labelsFile: path.join(folder, MODEL_FILES.labels), params: tensors.reduce((sum, t) => sum + t.data.length, 0),
      python: pythonSnippet(folder, model.card.maxLength),
    };
  } finally {
    model.dispose();
  }
}
