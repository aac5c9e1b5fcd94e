// How pixels are scaled before a base model sees them: the values of an experiment's base.preprocessing, and how a
// run says which one it used and why. Pure data, shared by the engine, the CLI, the extension and the webviews.

/** The candidates, in the order detection reports them; the first is the default for a model that says nothing. */
export const PREPROCESSINGS = ['scale-minus1-1', 'scale-0-1', 'imagenet-mean-std', 'caffe-bgr', 'raw-0-255'] as const;

export type Preprocessing = (typeof PREPROCESSINGS)[number];

export const DEFAULT_PREPROCESSING: Preprocessing = 'scale-minus1-1';

/** What each value does to a 0–255 RGB pixel, in words for pickers and logs. */
export const PREPROCESSING_MEANING: Record<Preprocessing, string> = {
  'scale-minus1-1': 'x / 127.5 − 1 (Keras MobileNet, Inception, TF-Slim)',
  'scale-0-1': 'x / 255 (darknet, many TF Hub and Keras tutorial models)',
  'imagenet-mean-std': '(x / 255 − mean) / std per channel (PyTorch / torchvision)',
  'caffe-bgr': 'RGB → BGR, minus the ImageNet means (Keras VGG16, ResNet50)',
  'raw-0-255': 'pixels as they are: the model scales them itself',
};

/** How the value was chosen: set by the user, known for the catalog base, said by the model, measured, or guessed. */
export type PreprocessingSource = 'experiment' | 'catalog' | 'model' | 'batch-norm' | 'default';

export interface PreprocessingChoice {
  value: Preprocessing;
  source: PreprocessingSource;
  /** One sentence a person can check, e.g. which layer or statistics decided. */
  reason: string;
  /** Set when nothing decided: the value is the default and the run warns. */
  guess?: boolean;
}

export function isPreprocessing(value: unknown): value is Preprocessing {
  return (PREPROCESSINGS as readonly unknown[]).includes(value);
}

/** How a user overrides a choice, for warnings. */
export const HOW_TO_SET_PREPROCESSING = `set "base": { "preprocessing": … } in the experiment file (one of ${PREPROCESSINGS.join(', ')}) or pass --preprocessing to transfer-lab init`;

/** One line for logs, the CLI and the dashboard: `scale-0-1 (batch-norm: …)`. */
export function describePreprocessing(choice: PreprocessingChoice): string {
  return `${choice.value} — ${choice.reason}${choice.guess ? `. This is a guess: if accuracy is poor, ${HOW_TO_SET_PREPROCESSING}` : ''}`;
}
