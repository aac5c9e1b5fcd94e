// What the wizard says beside its questions: what a block is for the chosen base, what the first pass costs here, and
// the defaults Quick setup writes. No vscode import: unit-tested.
import type { MachineSpeed } from '../../protocol/host';
import { ARCHITECTURE_BLOCKS, findCatalogEntry } from '../../shared/catalog';
import { EARLY_STOPPING, DEFAULTS, exampleCount, isText, smallValidationWarning, type WizardAnswers } from './wizardModel';
import { firstPassText, type FirstPass } from './timeEstimate';

/** "A block = one inverted-residual stage of MobileNetV2 (…): the top 2 of 19 train, the other 17 stay frozen." */
export function blockNote(a: WizardAnswers, top: number): string {
  const entry = findCatalogEntry(a.base ?? '');
  const blocks = entry ? ARCHITECTURE_BLOCKS[entry.architecture] : undefined;
  const unit = blocks?.unit ?? "a group of layers sharing a name prefix (block_3_…), as the Layers view shows them";
  const count = blocks?.count ?? a.baseBlocks;
  const which = count ? `the top ${top} of ${count} train, the other ${count - top} stay frozen` : `the top ${top} train, the rest stay frozen`;
  return `A block = ${unit}: ${which}.`;
}

/** The first pass over every image with a catalog base at `inputSize` (its own size if none); undefined otherwise. */
export function firstPassOf(a: WizardAnswers, base = a.base, inputSize = a.inputSize): FirstPass | undefined {
  const entry = findCatalogEntry(base ?? '');
  if (!entry || !a.scan || isText(a)) return undefined;
  return { images: exampleCount(a.scan), inputSize: inputSize ?? entry.defaultInputSize, forwardCost: entry.forwardCost };
}

/** "≈ 40 s on this machine" for that base and size, or undefined when there is nothing to go on. */
export function estimateFor(a: WizardAnswers, speed: MachineSpeed | undefined, base?: string, inputSize?: number): string | undefined {
  const pass = firstPassOf(a, base ?? a.base, inputSize ?? a.inputSize);
  return pass && firstPassText(pass, speed);
}

export interface SummaryRow {
  label: string;
  detail?: string;
}

/** What Quick setup writes, one row per choice the full path would ask; `a` has its defaults filled (withDefaults). */
export function quickSummary(a: WizardAnswers, speed: MachineSpeed | undefined): SummaryRow[] {
  const text = isText(a);
  const noun = text ? 'texts' : 'images';
  const top = a.unfreeze && 'topBlocks' in a.unfreeze ? a.unfreeze.topBlocks : undefined;
  const unit = text ? 'encoder layer' : 'block';
  const fineTune = top === undefined ? 'fine-tuning' : `fine-tuning of the top ${top === 1 ? unit : `${top} ${unit}s`}`;
  const estimate = estimateFor(a, speed);
  const balance = a.scan?.classBalance;
  const small = a.scan && smallValidationWarning(a.scan, noun);
  return [
    {
      label: `Strategy: feature extraction (${a.epochs} epochs, rate ${a.learningRate}), then ${fineTune} (${a.fineTuneEpochs} epochs, rate ${a.fineTuneLearningRate})`,
      detail: `Epochs are at most: early stopping ends a phase after ${EARLY_STOPPING.patience} epochs without a lower validation loss and keeps its best epoch's weights`,
    },
    ...(top !== undefined && !text ? [{ label: `Blocks: the top ${top} train during fine-tuning`, detail: blockNote(a, top) }] : []),
    text
      ? { label: `Tokens per text: ${a.maxLength}`, detail: 'longer texts are cut' }
      : { label: `Image size: ${a.inputSize ? `${a.inputSize} × ${a.inputSize}` : "the model's own"}`, detail: estimate ? `First pass over ${exampleCount(a.scan!)} ${noun} ${estimate}; later epochs read cached features` : undefined },
    ...(a.detectedPreprocessing ? [{
      label: `Pixel range: ${a.detectedPreprocessing.value} (${a.detectedPreprocessing.guess ? 'not detected: a guess' : 'detected'})`,
      detail: a.detectedPreprocessing.reason,
    }] : []),
    ...(text ? [] : [{ label: 'Augmentation: none', detail: 'Turn on flips, rotation or zoom in data.augmentation; then 4 augmented views of each image are cached (data.augmentation.views)' }]),
    {
      label: `Class weights: ${balance?.defaultWeights ?? 'none'}`,
      detail: balance?.defaultWeights === 'balanced' ? balance.note : 'the classes are about equally large (over 1.5× would weight them "balanced")',
    },
    { label: `Batch size ${a.batchSize} · ${DEFAULTS.valSplit * 100}% held out for validation`, detail: small },
  ];
}
