// The run as a standalone TensorFlow/Keras program, in sections (a markdown line and its code) that the .py script
// and the notebook both use: data, augmentation, base, head, phases, distribution strategy.
import type { AugmentationSpec, PhaseSpec } from '../../../protocol/experiment';
import type { Preprocessing } from '../../models/preprocess';
import { CAFFE_BGR_MEAN, TORCH_MEAN, TORCH_STD } from '../../models/preprocess';
import type { ScriptPlan } from './plan';

export interface Section {
  title: string;
  code: string;
}

const py = (value: unknown): string => {
  if (value === undefined || value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  return JSON.stringify(value);
};

const SCALING: Record<Preprocessing, string> = {
  'scale-minus1-1': 'x / 127.5 - 1.0',
  'scale-0-1': 'x / 255.0',
  'imagenet-mean-std': `(x / 255.0 - tf.constant(${py(TORCH_MEAN)})) / tf.constant(${py(TORCH_STD)})`,
  'raw-0-255': 'x',
  'caffe-bgr': `x[..., ::-1] - tf.constant(${py(CAFFE_BGR_MEAN)})  # RGB to BGR, ImageNet means`,
};

const OPTIMIZERS: Record<PhaseSpec['optimizer'], string> = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' };

function augmentationLayers(a: AugmentationSpec): string[] {
  const layers: string[] = [];
  if (a.flip) layers.push('keras.layers.RandomFlip("horizontal")');
  if (a.rotationDeg > 0) layers.push(`keras.layers.RandomRotation(${a.rotationDeg} / 360.0)`);
  if (a.zoom > 0) layers.push(`keras.layers.RandomZoom(${a.zoom})`);
  if (a.brightness > 0) layers.push(`keras.layers.RandomBrightness(${a.brightness}, value_range=(0, 255))`);
  if (a.contrast > 0) layers.push(`keras.layers.RandomContrast(${a.contrast})`);
  return layers;
}

function dataCode(plan: ScriptPlan): string {
  const { experiment: e, folders, inputSize } = plan;
  const common = `image_size=(${inputSize}, ${inputSize}), batch_size=None, label_mode="int", crop_to_aspect_ratio=False`;
  if (folders.train && folders.val) {
    return [
      `train_ds = keras.utils.image_dataset_from_directory(args.train, ${common}, shuffle=True, seed=SEED)`,
      `val_ds = keras.utils.image_dataset_from_directory(args.val, ${common}, shuffle=False)`,
      'class_names = train_ds.class_names',
    ].join('\n');
  }
  // Rounded: 0.2 + 0.1 is 0.30000000000000004 in floating point.
  const fraction = (x: number) => Number(x.toFixed(6));
  const held = fraction(e.data.split.val + e.data.split.test);
  return [
    '# The same fractions and seed as the run. Keras assigns files with its own shuffle, so the split has the run\'s',
    '# sizes, not necessarily its files.',
    `train_ds, held_ds = keras.utils.image_dataset_from_directory(args.data, ${common}, validation_split=${held}, subset="both", seed=SEED)`,
    'class_names = train_ds.class_names',
    'held_count = int(held_ds.cardinality())',
    `val_ds = held_ds.take(round(held_count * ${fraction(e.data.split.val / held)}))  # the rest of held_ds is the test split`,
  ].join('\n');
}

function baseCode(plan: ScriptPlan): string {
  const size = plan.inputSize;
  const load = plan.base.kind === 'applications'
    ? `app = keras.applications.${plan.base.constructor}(include_top=False, weights="imagenet", input_shape=(${size}, ${size}, 3)${plan.base.alpha !== undefined ? `, alpha=${plan.base.alpha}` : ''})`
    : `app = keras.saving.load_model(args.base_file, compile=False)  # the base exactly as the run started from it`;
  return [
    load,
    `base = keras.Model(app.input, app.get_layer(FEATURE_LAYER).output, name="base")`,
    'missing = sorted(set(BASE_LAYERS) - {layer.name for layer in base.layers})',
    'if missing:',
    '    raise SystemExit(f"the base has no layers named {missing}: it is not the architecture the run used")',
  ].join('\n');
}

function headCode(plan: ScriptPlan): string {
  const { head } = plan.experiment;
  const pooling = head.pooling === 'max' ? 'GlobalMaxPooling2D' : head.pooling === 'flatten' ? 'Flatten' : 'GlobalAveragePooling2D';
  const augment = augmentationLayers(plan.experiment.data.augmentation);
  const lines = [
    `inputs = keras.Input((${plan.inputSize}, ${plan.inputSize}, 3), name="pixels")  # RGB 0-255`,
    'x = inputs',
    ...augment.map((layer) => `x = ${layer}(x)  # only active in training`),
    `x = keras.layers.Lambda(lambda x: ${SCALING[plan.preprocessing]}, name="preprocess")(x)`,
    '# BatchNorm stays in inference mode even when its layer is unfrozen (Keras\' fine-tuning guidance).',
    'x = base(x, training=False)',
    `x = keras.layers.${pooling}(name="head_pool")(x)`,
  ];
  if (head.hiddenUnits > 0) lines.push(`x = keras.layers.Dense(${head.hiddenUnits}, activation="relu", name="head_hidden")(x)`);
  if (head.dropout > 0) lines.push(`x = keras.layers.Dropout(${head.dropout}, seed=SEED, name="head_dropout")(x)`);
  lines.push('logits = keras.layers.Dense(len(class_names), name="head_logits")(x)', 'model = keras.Model(inputs, logits, name="transfer_lab_classifier")');
  return lines.join('\n');
}

function phasesCode(plan: ScriptPlan): string {
  const stopping = plan.experiment.callbacks.earlyStopping;
  const callbacks = stopping
    ? `[keras.callbacks.EarlyStopping(monitor=${py(stopping.monitor)}, patience=${stopping.patience}, min_delta=${stopping.minDelta}, restore_best_weights=${py(stopping.restoreBestWeights)})]`
    : '[]';
  const phases = plan.experiment.phases.map((phase, i) =>
    `    {"name": ${py(phase.name ?? `phase ${i + 1}`)}, "epochs": ${phase.epochs}, "batch_size": ${phase.batchSize}, "optimizer": keras.optimizers.${OPTIMIZERS[phase.optimizer]}, "learning_rate": ${phase.learningRate}, "trainable": TRAINABLE[${i}]},`);
  return [
    'PHASES = [',
    ...phases,
    ']',
    'AUTOTUNE = tf.data.AUTOTUNE',
    'epoch = 0',
    'for phase in PHASES:',
    '    # The base\'s layers train by name, as the run unfroze them; the head always trains.',
    '    for layer in base.layers:',
    '        layer.trainable = layer.name in phase["trainable"]',
    '    with strategy.scope():',
    '        model.compile(optimizer=phase["optimizer"](learning_rate=phase["learning_rate"]),',
    '                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])',
    '    batch = phase["batch_size"]',
    '    history = model.fit(train_ds.shuffle(1000, seed=SEED).batch(batch).prefetch(AUTOTUNE), validation_data=val_ds.batch(batch).prefetch(AUTOTUNE),',
    `                        epochs=epoch + phase["epochs"], initial_epoch=epoch, callbacks=${callbacks})`,
    '    epoch += len(history.epoch)',
    '    print(f"{phase[\'name\']}: {len(history.epoch)} epochs, val_accuracy {history.history[\'val_accuracy\'][-1]:.4f}")',
  ].join('\n');
}

export function scriptSections(plan: ScriptPlan, runName: string): Section[] {
  const dataArgs = plan.folders.train && plan.folders.val
    ? [`parser.add_argument("--train", default=${py(plan.folders.train)})`, `parser.add_argument("--val", default=${py(plan.folders.val)})`]
    : [`parser.add_argument("--data", default=${py(plan.folders.root)})`];
  const fileArg = plan.base.kind === 'file' ? [`parser.add_argument("--base-file", default=${py(plan.base.fileName)}, help="the base as the run started from it")`] : [];
  return [
    {
      title: `Transfer Lab run "${runName}" in TensorFlow/Keras (written by transfer-lab export --format keras-script; not run by Transfer Lab itself)`,
      code: [
        'import argparse',
        '',
        'import tensorflow as tf',
        'from tensorflow import keras',
        '',
        'parser = argparse.ArgumentParser(description="Re-train this Transfer Lab experiment with TensorFlow")',
        ...dataArgs,
        ...fileArg,
        'parser.add_argument("--strategy", choices=["default", "mirrored", "multi-worker"], default="default",',
        '                    help="mirrored: every GPU of this machine; multi-worker: several machines (set TF_CONFIG on each)")',
        'parser.add_argument("--save", default="classifier.keras")',
        '# parse_known_args: a notebook kernel passes arguments of its own.',
        'args = parser.parse_known_args()[0]',
        '',
        `SEED = ${plan.experiment.seed}`,
        'keras.utils.set_random_seed(SEED)',
        `FEATURE_LAYER = ${py(plan.featureLayer)}`,
        `BASE_LAYERS = ${py(plan.baseLayers)}`,
        `TRAINABLE = ${py(plan.trainable)}`,
      ].join('\n'),
    },
    {
      title: 'Distribution strategy, chosen by --strategy',
      code: [
        'if args.strategy == "mirrored":',
        '    strategy = tf.distribute.MirroredStrategy()',
        'elif args.strategy == "multi-worker":',
        '    strategy = tf.distribute.MultiWorkerMirroredStrategy()',
        'else:',
        '    strategy = tf.distribute.get_strategy()',
        'print("replicas:", strategy.num_replicas_in_sync)',
      ].join('\n'),
    },
    { title: 'Data: the run\'s folders, images squashed to the input size as the run did (no crop)', code: dataCode(plan) },
    { title: 'Base, cut at the run\'s feature layer; augmentation, preprocessing and head as the run built them', code: ['with strategy.scope():', ...`${baseCode(plan)}\n${headCode(plan)}`.split('\n').map((l) => `    ${l}`)].join('\n') },
    { title: 'Phases: the same frozen layers, optimizer, learning rate, batch size and early stopping per phase', code: phasesCode(plan) },
    {
      title: 'The classifier with softmax, as Transfer Lab exports it',
      code: [
        'classifier = keras.Model(model.input, keras.layers.Softmax(name="head_softmax")(model.output))',
        'classifier.save(args.save)',
        'print("saved", args.save, "classes", class_names)',
      ].join('\n'),
    },
  ];
}

export function pythonScript(sections: Section[]): string {
  return sections.map((s) => `# %% ${s.title}\n${s.code}\n`).join('\n');
}
