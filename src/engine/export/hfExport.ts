// A text run as a Hugging Face `save_pretrained` folder: config.json (the base's BERT fields, id2label/label2id),
// model.safetensors, the tokenizer files, and the Python that classifies a text as the run did.
// BertForSequenceClassification is one Linear layer on BERT's pooled output (tanh dense on [CLS]): a run with
// head.pooling "pooled" and no hidden layer IS that class, and the folder loads with
// AutoModelForSequenceClassification. Any other head (mean or [CLS] pooling, a hidden layer) has no such class:
// the folder then holds the encoder as a plain BertModel (AutoModel) and the head in head.safetensors, and the
// printed Python pools and applies the head exactly as the run does.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ExportResult } from '../../protocol/host';
import { MODEL_DIR, MODEL_FILES } from '../../shared/runLayout';
import type { NamedTensor } from '../text/bertModel';
import type { HubOptions } from '../text/hub';
import { writeSafetensors } from '../text/safetensors';
import { loadTextRunModel, type TextModelCard, type TextRunModel } from '../text/textArtifacts';
import { replaceFolder } from './exportFolder';

export const HF_ARCHITECTURE = 'BertForSequenceClassification';
/** Where a head BertForSequenceClassification cannot express is stored, beside the encoder. */
export const HF_HEAD_FILE = 'head.safetensors';
/** Tokenizer files copied when the base has them; tokenizer_config.json is always written (it carries the length). */
const TOKENIZER_FILES = ['tokenizer.json', 'vocab.txt', 'special_tokens_map.json'];
/** Marks config.json as ours, so a later export may replace the folder and a foreign model folder never is. */
const RUN_KEY = 'transfer_lab_run';

/** Why this run's head is not BertForSequenceClassification's, or undefined when it is exactly that. */
export function hfMismatch(card: Pick<TextModelCard, 'pooling' | 'head'>): string | undefined {
  const problems = [
    card.pooling !== 'pooled' && `pools by ${card.pooling === 'mean' ? 'the mean of the token states' : 'the raw [CLS] state'} (head.pooling "${card.pooling}"), not BERT's pooler`,
    card.head.hiddenUnits > 0 && `has a hidden layer of ${card.head.hiddenUnits} units (head.hiddenUnits), not a single linear layer`,
  ].filter(Boolean);
  return problems.length ? `its head ${problems.join(' and ')}` : undefined;
}

/** A tfjs Dense layer as a PyTorch Linear: weight [out, in] (tfjs keeps [in, out]) and bias. */
function linear(head: tf.LayersModel, layer: string, name: string): NamedTensor[] {
  const [kernel, bias] = head.getLayer(layer).getWeights();
  const transposed = kernel.transpose();
  const weight = { name: `${name}.weight`, shape: transposed.shape, data: transposed.dataSync() as Float32Array };
  transposed.dispose();
  return [weight, { name: `${name}.bias`, shape: bias.shape, data: bias.dataSync() as Float32Array }];
}

function headTensors(model: TextRunModel): NamedTensor[] {
  return [...(model.card.head.hiddenUnits > 0 ? linear(model.head, 'head_hidden', 'hidden') : []), ...linear(model.head, 'head_logits', 'classifier')];
}

async function hfConfig(model: TextRunModel, runName: string, exact: boolean): Promise<Record<string, unknown>> {
  const base = JSON.parse(await readFile(path.join(model.base.info.folder, 'config.json'), 'utf8')) as Record<string, unknown>;
  const { classes, pooling, head } = model.card;
  return {
    ...base,
    architectures: [exact ? HF_ARCHITECTURE : 'BertModel'],
    model_type: 'bert',
    id2label: Object.fromEntries(classes.map((name, i) => [String(i), name])),
    label2id: Object.fromEntries(classes.map((name, i) => [name, i])),
    problem_type: 'single_label_classification',
    classifier_dropout: head.dropout,
    torch_dtype: 'float32',
    ...(exact ? {} : { transfer_lab_head: { pooling, hidden_units: head.hiddenUnits, file: HF_HEAD_FILE } }),
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

const POOLING_PYTHON: Record<TextModelCard['pooling'], string[]> = {
  mean: ['    mask = inputs["attention_mask"].unsqueeze(-1).float()', '    x = (out.last_hidden_state * mask).sum(1) / mask.sum(1).clamp(min=1)  # mean over real tokens'],
  cls: ['    x = out.last_hidden_state[:, 0]  # the [CLS] state'],
  pooled: ['    x = out.pooler_output  # tanh(dense([CLS]))'],
};

function pythonSnippet(folder: string, card: TextModelCard, exact: boolean): string {
  const tokenize = `inputs = tokenizer(["some text to classify"], truncation=True, max_length=${card.maxLength}, padding=True, return_tensors="pt")`;
  const last = 'print(model.config.id2label[int(probabilities.argmax())], float(probabilities.max()))';
  if (exact) {
    return [
      'import torch', 'from transformers import AutoModelForSequenceClassification, AutoTokenizer', '',
      `tokenizer = AutoTokenizer.from_pretrained(${JSON.stringify(folder)})`,
      `model = AutoModelForSequenceClassification.from_pretrained(${JSON.stringify(folder)}).eval()`, '', tokenize,
      'with torch.no_grad():', '    probabilities = model(**inputs).logits.softmax(-1)[0]', last,
    ].join('\n');
  }
  return [
    'import torch', 'from safetensors.torch import load_file', 'from transformers import AutoModel, AutoTokenizer', '',
    `tokenizer = AutoTokenizer.from_pretrained(${JSON.stringify(folder)})`,
    `model = AutoModel.from_pretrained(${JSON.stringify(folder)}).eval()  # the BERT encoder`,
    `head = load_file(${JSON.stringify(path.join(folder, HF_HEAD_FILE))})  # the run's head: Linear weights are [out, in]`, '', tokenize,
    'with torch.no_grad():', '    out = model(**inputs)', ...POOLING_PYTHON[card.pooling],
    ...(card.head.hiddenUnits > 0 ? ['    x = torch.relu(x @ head["hidden.weight"].T + head["hidden.bias"])'] : []),
    '    probabilities = (x @ head["classifier.weight"].T + head["classifier.bias"]).softmax(-1)[0]', last,
  ].join('\n');
}

/** Writes the run's classifier to `out` (default: `hf/` in the run folder), replacing an earlier hf export there. */
export async function exportHfRun(runDir: string, hub: HubOptions, out?: string): Promise<ExportResult> {
  const model = await loadTextRunModel(runDir, hub);
  try {
    const exact = hfMismatch(model.card) === undefined;
    const folder = path.resolve(out ?? path.join(runDir, 'hf'));
    const runName = path.basename(path.resolve(runDir));
    const encoder = model.base.model.snapshot().map((t) => ({ ...t, name: exact ? `bert.${t.name}` : t.name }));
    const head = headTensors(model);
    await replaceFolder(path.resolve(runDir), folder, {
      what: 'hf export',
      write: async (fresh) => {
        await writeFile(path.join(fresh, 'config.json'), JSON.stringify(await hfConfig(model, runName, exact), null, 2));
        await writeSafetensors(path.join(fresh, 'model.safetensors'), exact ? [...encoder, ...head] : encoder, { format: 'pt' });
        if (!exact) await writeSafetensors(path.join(fresh, HF_HEAD_FILE), head, { format: 'pt' });
        await writeTokenizerFiles(model, fresh);
        await writeFile(path.join(fresh, MODEL_FILES.labels), JSON.stringify(model.card.classes, null, 2));
      },
    }, path.resolve(runDir, MODEL_DIR));
    const title = exact ? `Hugging Face ${HF_ARCHITECTURE} folder` : `Hugging Face BertModel folder + ${HF_HEAD_FILE} (${hfMismatch(model.card)}: no transformers class has it)`;
    return {
      format: 'hf', title, loader: 'pip install transformers torch safetensors', file: folder,
      labelsFile: path.join(folder, MODEL_FILES.labels), params: [...encoder, ...head].reduce((sum, t) => sum + t.data.length, 0),
      python: pythonSnippet(folder, model.card, exact),
    };
  } finally {
    model.dispose();
  }
}
