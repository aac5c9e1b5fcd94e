// The New Experiment wizard's text steps: the columns that hold the text and the label, the BERT base, tokens per text.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { parseBertConfig } from '../../engine/text/bertConfig';
import { hubModelId } from '../../engine/text/hubId';
import { CHECKPOINT_FILES, checkpointFolders, missingCheckpointFiles, TEXT_CATALOG } from '../../engine/text/textCatalog';
import type { TextColumn, TrainableSpec } from '../../protocol/experiment';
import { Requests } from '../../protocol/host';
import { errorText } from '../notify';
import { WORKSPACE_EXCLUDE } from './datasetCandidates';
import { inputStep, pickStep } from './quickInput';
import { outcome, type Item, type StepContext, type StepOutcome } from './stepContext';
import { BERT_POSITIONS, columnChoices, DEFAULTS, tokenLengths, type DetectedColumns } from './wizardModel';

/** The host reads the file once to list its columns and guess which hold the text and the label. */
async function detectColumns(ctx: StepContext): Promise<DetectedColumns> {
  const root = ctx.answers.dataRoot!;
  if (ctx.answers.detectedColumns?.root === root) return ctx.answers.detectedColumns;
  const scan = await ctx.supervisor.call((c) => c.sendRequest(Requests.scanDataset, { root, kind: 'text' }));
  if (!scan.columns) throw new Error('the scan found no columns');
  return (ctx.answers.detectedColumns = { ...scan.columns, root });
}

function columnStep(role: 'text' | 'label') {
  return async (ctx: StepContext): Promise<StepOutcome> => {
    const { answers } = ctx;
    const items = detectColumns(ctx).then(
      (detected) => columnChoices(detected, role, answers.textColumn).map((c): Item<TextColumn> => ({
        label: c.label, description: c.detected ? 'detected' : undefined, detail: c.example ? `e.g. ${c.example}` : '(empty in the first record)', value: c.value,
      })),
      (error): Item<TextColumn>[] => [{ label: '$(arrow-left) Choose another file', detail: `Cannot read its columns: ${errorText(error)}` }],
    );
    const current = () => (role === 'text' ? answers.textColumn ?? answers.detectedColumns?.textColumn : answers.labelColumn ?? answers.detectedColumns?.labelColumn);
    const placeholder = role === 'text' ? 'Which column holds the text to classify?' : 'Which column holds the label (the class)?';
    const result = await pickStep(ctx.frame, placeholder, items, (i) => i.value !== undefined && i.value === current());
    return outcome(result, (item) => {
      if (item.value === undefined) return 'back';
      if (role === 'label') answers.labelColumn = item.value;
      else if (item.value !== answers.textColumn) Object.assign(answers, { textColumn: item.value, labelColumn: undefined });
      return 'next';
    });
  };
}

export const textColumnStep = columnStep('text');
export const labelColumnStep = columnStep('label');

type BaseChoice = { id: string } | 'hub' | 'folder';

async function hubIdStep(ctx: StepContext): Promise<StepOutcome> {
  const check = (text: string) => (hubModelId(text.trim()) ? undefined : 'Enter a Hugging Face model id: owner/name, e.g. google/bert_uncased_L-4_H-256_A-4');
  const result = await inputStep(ctx.frame, 'Hugging Face model id of a BERT with model.safetensors (downloaded once into the cache)', hubModelId(ctx.answers.base ?? '') ? ctx.answers.base! : '', check);
  if (result.kind === 'back') return 'again';
  return outcome(result, (id) => void (ctx.answers.base = id));
}

async function checkpointFolderStep(ctx: StepContext): Promise<StepOutcome> {
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use as Base Model', title: 'BERT checkpoint folder' });
  if (!picked?.[0]) return 'again';
  const names = (await vscode.workspace.fs.readDirectory(picked[0])).map(([name]) => name);
  const missing = missingCheckpointFiles(names);
  if (missing.length > 0) {
    void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(picked[0])} is not a BERT checkpoint: it has no ${missing.join(', no ')}.`);
    return 'again';
  }
  ctx.answers.base = picked[0].fsPath;
  return 'next';
}

/** The file names of a checkpoint, for finding checkpoint folders in the workspace. */
const CHECKPOINT_GLOB = `**/{${[...CHECKPOINT_FILES.required, ...CHECKPOINT_FILES.tokenizer].join(',')}}`;

export async function textBaseStep(ctx: StepContext): Promise<StepOutcome> {
  const current = ctx.answers.base ?? TEXT_CATALOG[0].id;
  const found = vscode.workspace.findFiles(CHECKPOINT_GLOB, WORKSPACE_EXCLUDE, 2000).then((uris) => checkpointFolders(uris.map((u) => u.fsPath)), () => []);
  const items = found.then((folders): Item<BaseChoice>[] => {
    const other = [...TEXT_CATALOG.map((e) => e.id), ...folders].includes(current) ? undefined : isAbsolute(current) ? 'folder' : 'hub';
    return [
      ...TEXT_CATALOG.map((e): Item<BaseChoice> => ({
        label: e.displayName, description: `${e.id} · ${e.layers} layers · ${(e.params / 1e6).toFixed(1)} M parameters`,
        detail: '$(cloud-download) Downloads once from Hugging Face into the cache', value: { id: e.id },
      })),
      ...folders.map((folder): Item<BaseChoice> => ({ label: `$(folder) ${vscode.workspace.asRelativePath(folder)}`, description: 'a checkpoint folder in this workspace', value: { id: folder } })),
      { label: '$(cloud) Another Hugging Face model id…', description: other === 'hub' ? current : 'a BERT with model.safetensors', value: 'hub' },
      { label: '$(folder-opened) Browse for a checkpoint folder…', description: other === 'folder' ? vscode.workspace.asRelativePath(current) : undefined, detail: 'config.json, model.safetensors, and tokenizer.json or vocab.txt', value: 'folder' },
    ];
  });
  const active = (i: Item<BaseChoice>) => (typeof i.value === 'object' ? i.value.id === current : i.value === (isAbsolute(current) ? 'folder' : 'hub'));
  const result = await pickStep(ctx.frame, 'Choose the pre-trained BERT', items, active);
  if (result.kind !== 'value') return result.kind;
  const choice = result.value.value!;
  if (choice === 'hub') return hubIdStep(ctx);
  if (choice === 'folder') return checkpointFolderStep(ctx);
  ctx.answers.base = choice.id;
  return 'next';
}

const LENGTH_NOTES: Record<number, string> = {
  128: 'recommended: most reviews and messages fit', 64: 'about twice as fast; short texts', 256: 'longer texts; about twice as slow', 512: "BERT's limit; slow on a CPU",
};

/** The positions a local checkpoint's config.json declares (a longer maxLength cannot run); BERT's limit otherwise. */
async function basePositions(base: string | undefined): Promise<number> {
  if (!base || !isAbsolute(base)) return BERT_POSITIONS;
  const file = join(base, 'config.json');
  return readFile(file, 'utf8').then((text) => parseBertConfig(JSON.parse(text), file).maxPositions, () => BERT_POSITIONS);
}

export async function maxLengthStep(ctx: StepContext): Promise<StepOutcome> {
  const items = basePositions(ctx.answers.base).then((positions) => tokenLengths(positions).map((value): Item<number> => ({
    label: `${value} tokens`, description: LENGTH_NOTES[value] ?? "this model's limit", value,
  })));
  const result = await pickStep(ctx.frame, 'Tokens the model reads per text (longer texts are cut)', items, (i) => i.value === (ctx.answers.maxLength ?? DEFAULTS.maxLength));
  return outcome(result, (item) => void (ctx.answers.maxLength = item.value));
}

export const TEXT_UNFREEZE_ITEMS: Item<TrainableSpec>[] = [
  { label: 'Unfreeze the top encoder layer', description: 'recommended', value: { topBlocks: 1 } },
  { label: 'Unfreeze the top 2 encoder layers', value: { topBlocks: 2 } },
  { label: 'Unfreeze everything, embeddings included', description: 'slow on a CPU; needs a small learning rate', value: { all: true } },
];
