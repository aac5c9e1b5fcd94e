// BERT bases offered by name (the wizard's list); any other Hugging Face id or local checkpoint folder works too.
import { basename, dirname } from 'node:path';

export interface TextCatalogEntry {
  /** A Hugging Face model id with model.safetensors and a tokenizer on its main branch. */
  id: string;
  displayName: string;
  layers: number;
  hiddenSize: number;
  params: number;
}

export const TEXT_CATALOG: readonly TextCatalogEntry[] = [
  { id: 'google/bert_uncased_L-2_H-128_A-2', displayName: 'BERT-Tiny (uncased)', layers: 2, hiddenSize: 128, params: 4_385_920 },
];

/** Files a local checkpoint folder needs; the tokenizer may be either file. */
export const CHECKPOINT_FILES = { required: ['config.json', 'model.safetensors'], tokenizer: ['tokenizer.json', 'vocab.txt'] } as const;

/** The folders among `files` (paths) that hold a complete checkpoint, sorted. */
export function checkpointFolders(files: readonly string[]): string[] {
  const byFolder = new Map<string, string[]>();
  for (const file of files) {
    const folder = dirname(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), basename(file)]);
  }
  return [...byFolder].filter(([, names]) => missingCheckpointFiles(names).length === 0).map(([folder]) => folder).sort();
}

/** What a folder holding `names` lacks to be a BERT checkpoint (empty when complete). */
export function missingCheckpointFiles(names: readonly string[]): string[] {
  const have = new Set(names);
  const missing: string[] = CHECKPOINT_FILES.required.filter((file) => !have.has(file));
  if (!CHECKPOINT_FILES.tokenizer.some((file) => have.has(file))) missing.push(CHECKPOINT_FILES.tokenizer.join(' or '));
  return missing;
}
