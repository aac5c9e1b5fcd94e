// Loads a BERT base for a run: folder or hub id → config, weights as variables, tokenizer, and a fingerprint of
// the exact weights so cached features are never reused across checkpoints.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelError } from '../models/errors';
import { bertParamCount, parseBertConfig, type BertConfig } from './bertConfig';
import { BertModel } from './bertModel';
import { readBertSafetensors } from './bertWeights';
import { resolveCheckpointFolder, type HubOptions } from './hub';
import { loadTokenizer, type TextTokenizer } from './tokenizer';

export interface BertBaseInfo {
  ref: string;
  folder: string;
  /** For logs: where the weights came from. */
  origin: string;
  /** sha256 of config.json + model.safetensors. */
  fingerprint: string;
  params: number;
}

export interface BertBase {
  config: BertConfig;
  model: BertModel;
  tokenizer: TextTokenizer;
  info: BertBaseInfo;
}

async function fileHash(hash: ReturnType<typeof createHash>, file: string): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

async function readBertConfig(folder: string): Promise<BertConfig> {
  const file = join(folder, 'config.json');
  const text = await readFile(file, 'utf8').catch(() => {
    throw new ModelError('missing', file, 'A BERT checkpoint folder needs config.json, model.safetensors and tokenizer.json or vocab.txt');
  });
  try {
    return parseBertConfig(JSON.parse(text), file);
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw new ModelError(`not valid JSON (${(error as Error).message})`, file, 'Download the checkpoint again');
  }
}

/** `maxLength`: the experiment's tokens per text, refused before the weights load when the model has fewer positions. */
export async function loadBertBase(ref: string, options: HubOptions & { maxLength?: number }): Promise<BertBase> {
  const { folder, origin } = await resolveCheckpointFolder(ref, options);
  const config = await readBertConfig(folder);
  if (options.maxLength !== undefined && options.maxLength > config.maxPositions) {
    throw new ModelError(`has ${config.maxPositions} positions, fewer than the experiment's maxLength ${options.maxLength}`, join(folder, 'config.json'), `Set data.maxLength to at most ${config.maxPositions}`);
  }
  const weightsFile = join(folder, 'model.safetensors');
  const tensors = await readBertSafetensors(weightsFile, config).catch((error: NodeJS.ErrnoException) => {
    if (error instanceof ModelError) throw error;
    throw new ModelError(`cannot read (${error.code ?? error.message})`, weightsFile, 'PyTorch .bin checkpoints are not loaded (they can run code): save the model as model.safetensors');
  });
  const tokenizer = await loadTokenizer(folder);
  const hash = createHash('sha256');
  await fileHash(hash, join(folder, 'config.json'));
  await fileHash(hash, weightsFile);
  const model = BertModel.fromTensors(config, tensors, weightsFile);
  const params = bertParamCount(config, { pooler: model.hasPooler });
  return { config, model, tokenizer, info: { ref, folder, origin, fingerprint: hash.digest('hex'), params } };
}
