// The experiment file of a text run: the image experiment's phases, callbacks and seed, with a text `data`
// section (data.kind "text"), a BERT `base` and a text `head`. Validated by the image schema with those three
// sections swapped, so phase and trainable rules stay one definition.
import Ajv from 'ajv';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import schema from '../../protocol/experiment.schema.json';
import type { Experiment } from '../../protocol/experiment';
import { ExperimentError } from '../experiment/validate';
import type { TextPooling } from './bertModel';
import type { TextFormat } from './textSources';

export interface TextDataSpec {
  kind: 'text';
  /** One labelled file or class folder, split by `split`; or explicit train (+ val, test) sources. */
  root?: string;
  train?: string;
  val?: string;
  test?: string;
  format?: TextFormat;
  textColumn?: string | number;
  labelColumn?: string | number;
  split: { val: number; test: number };
  /** Tokens per text including [CLS] and [SEP]; longer texts are truncated. */
  maxLength: number;
}

export interface TextExperiment extends Omit<Experiment, 'data' | 'base' | 'head'> {
  data: TextDataSpec;
  base: { model: string; revision?: string };
  head: { pooling: TextPooling; hiddenUnits: number; dropout: number };
}

const column = { oneOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: 0 }] };
const source = { type: 'string', minLength: 1 };

export const TEXT_DATA_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  description: 'Labelled texts: a CSV/TSV/JSONL file with a text and a label column, or a folder with one sub-folder of .txt files per class.',
  properties: {
    kind: { const: 'text' },
    root: { ...source, description: 'One labelled file or folder; val/test are carved out by split.' },
    train: source,
    val: source,
    test: source,
    format: { enum: ['folder', 'csv', 'tsv', 'jsonl'], description: 'Detected from the file extension when omitted.' },
    textColumn: { ...column, description: 'Header name or JSON key (or 0-based index without a header); detected when omitted.' },
    labelColumn: { ...column, description: 'Header name or JSON key (or 0-based index without a header); detected when omitted.' },
    split: (schema.properties.data.properties as Record<string, unknown>).split,
    maxLength: { type: 'integer', minimum: 8, maximum: 512, default: 128, description: 'Tokens per text, [CLS] and [SEP] included; longer texts are cut.' },
  },
  anyOf: [{ required: ['root'] }, { required: ['train'] }],
};

export const TEXT_BASE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['model'],
  properties: {
    model: { type: 'string', minLength: 1, description: 'A folder with config.json, model.safetensors and tokenizer.json/vocab.txt, or a Hugging Face model id (e.g. google/bert_uncased_L-2_H-128_A-2), downloaded once.' },
    revision: { type: 'string', minLength: 1, description: 'Hub branch, tag or commit (default main).' },
  },
};

export const TEXT_HEAD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    pooling: { enum: ['mean', 'cls', 'pooled'], default: 'mean', description: 'mean: average of the token states; cls: the [CLS] state; pooled: BERT\'s pooler (tanh dense on [CLS]).' },
    hiddenUnits: { type: 'integer', minimum: 0, maximum: 4096, default: 0 },
    dropout: { type: 'number', minimum: 0, maximum: 0.9, default: 0.1 },
  },
};

const textSchema = { ...schema, properties: { ...schema.properties, data: TEXT_DATA_SCHEMA, base: TEXT_BASE_SCHEMA, head: TEXT_HEAD_SCHEMA } };
const validateText = new Ajv({ allErrors: true, useDefaults: true, strict: false }).compile<TextExperiment>(textSchema);

export function isTextExperimentJson(value: unknown): boolean {
  return (value as { data?: { kind?: unknown } } | null)?.data?.kind === 'text';
}

/** For the host's train/resume dispatch: true when the file is a text experiment (false when unreadable). */
export async function isTextExperimentFile(file: string): Promise<boolean> {
  return readFile(file, 'utf8').then((text) => isTextExperimentJson(JSON.parse(text)), () => false);
}

export function validateTextExperiment(value: unknown, file: string): TextExperiment {
  const copy = JSON.parse(JSON.stringify(value ?? null));
  if (!validateText(copy)) {
    const problems = (validateText.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => `${e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(top level)'}: ${e.message}`);
    throw new ExperimentError(file, [...new Set(problems)]);
  }
  return copy;
}

export interface LoadedTextExperiment {
  file: string;
  experiment: TextExperiment;
  /** Data sources as absolute paths. */
  sources: { root?: string; train?: string; val?: string; test?: string };
  /** A local checkpoint folder made absolute; a hub id unchanged. */
  baseRef: string;
}

/** Paths resolve against the experiment file's folder; "hf:" or an owner/name that is no folder there is a hub id. */
export function resolveTextExperiment(experiment: TextExperiment, file: string): LoadedTextExperiment {
  const here = dirname(resolve(file));
  const abs = (p?: string) => (p === undefined ? undefined : resolve(here, p));
  const { root, train, val, test } = experiment.data;
  const ref = experiment.base.model;
  const local = !ref.startsWith('hf:') && (isAbsolute(ref) || ref.startsWith('.') || existsSync(resolve(here, ref)));
  return { file: resolve(file), experiment, sources: { root: abs(root), train: abs(train), val: abs(val), test: abs(test) }, baseRef: local ? resolve(here, ref) : ref };
}

export async function loadTextExperimentFile(file: string): Promise<LoadedTextExperiment> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ExperimentError(file, [`cannot read it as JSON (${(error as Error).message})`]);
  }
  return resolveTextExperiment(validateTextExperiment(json, file), file);
}
