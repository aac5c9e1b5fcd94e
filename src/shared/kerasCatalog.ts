// keras.applications bases: our tfjs definitions of the architectures plus the official ImageNet weight files,
// downloaded on first use. Hashes are Keras' own `file_hash` values (md5) where keras.applications has them;
// Keras publishes none for the MobileNets, so those files are checked by their HDF5 contents only.
import type { CatalogEntry, KerasWeightsFile } from './catalogTypes';

const STORE = 'https://storage.googleapis.com/tensorflow/keras-applications';
const KERAS_CODE = 'architecture re-implemented from keras.applications (Apache-2.0)';

function pair(folder: string, name: string, inputSize: number, hashes: [top: string, notop: string]): KerasWeightsFile[] {
  return [
    { url: `${STORE}/${folder}/${name}.h5`, includeTop: true, inputSize, fileHash: hashes[0] },
    { url: `${STORE}/${folder}/${name}_notop.h5`, includeTop: false, inputSize, fileHash: hashes[1] },
  ];
}

// Forward costs (see CatalogEntry.forwardCost), measured by scripts/forwardCosts.ts on wasm: the lowest of 3 runs at load
// 11–16 on 2 cores, where one run could read up to 2.5× high (matmul ≈ 38 GFLOP/s, so MobileNetV2 ≈ 39 ms/image). About
// 2× the multiply-add FLOPs for all but VGG16 (1×). Shared by the entries of one architecture and width.
const VGG16_COST = 30.6;
const RESNET50_COST = 16.6;
export const INCEPTION_V3_COST = 6.73;
export const MOBILENET_V2_COST = 1.48;
export const MOBILENET_QUARTER_COST = 0.127;

const classic: CatalogEntry[] = [
  {
    id: 'vgg16',
    displayName: 'VGG16 (ImageNet, download 59 MB)',
    architecture: 'vgg16',
    source: {
      kind: 'keras',
      files: pair('vgg16', 'vgg16_weights_tf_dim_ordering_tf_kernels', 224, ['64373286793e3c8b2b4e3219cbf3544b', '6d6bbae143d832006294945121d1f1fc']),
    },
    defaultInputSize: 224,
    minInputSize: 32,
    maxInputSize: 512,
    preprocessing: 'caffe-bgr',
    defaultCutLayer: 'block5_pool',
    params: 14_714_688,
    sizeOnDiskBytes: 58_900_000,
    forwardCost: VGG16_COST,
    licence: 'CC-BY-4.0 (weights by the Oxford VGG group)',
    origin: `keras.applications VGG16 ImageNet weights (notop file), downloaded on first use and cached; ${KERAS_CODE}. Slow on a CPU: ≈15 GFLOP per 224 px image`,
  },
  {
    id: 'resnet50',
    displayName: 'ResNet50 (ImageNet, download 95 MB)',
    architecture: 'resnet50',
    source: {
      kind: 'keras',
      files: pair('resnet', 'resnet50_weights_tf_dim_ordering_tf_kernels', 224, ['2cb95161c43110f7111970584f804107', '4d473c1dd8becc155b73f8504c6f6626']),
    },
    defaultInputSize: 224,
    minInputSize: 32,
    maxInputSize: 512,
    preprocessing: 'caffe-bgr',
    defaultCutLayer: 'conv5_block3_out',
    params: 23_587_712,
    sizeOnDiskBytes: 94_800_000,
    forwardCost: RESNET50_COST,
    licence: 'MIT (weights by Kaiming He)',
    origin: `keras.applications ResNet50 ImageNet weights (notop file), downloaded on first use and cached; ${KERAS_CODE}`,
  },
  {
    id: 'inception_v3',
    displayName: 'InceptionV3 (ImageNet, download 88 MB)',
    architecture: 'inception_v3',
    source: {
      kind: 'keras',
      files: pair('inception_v3', 'inception_v3_weights_tf_dim_ordering_tf_kernels', 299, [
        '9a0d58056eeedaa3f26cb7ebd46da564',
        'bcbd6486424b2319ff4ef7d526e38f63',
      ]),
    },
    defaultInputSize: 299,
    minInputSize: 75,
    maxInputSize: 512,
    preprocessing: 'scale-minus1-1',
    defaultCutLayer: 'mixed10',
    params: 21_802_784,
    sizeOnDiskBytes: 87_900_000,
    forwardCost: INCEPTION_V3_COST,
    licence: 'MIT (weights trained by the Keras team)',
    origin: `keras.applications InceptionV3 ImageNet weights (notop file), downloaded on first use and cached; ${KERAS_CODE}`,
  },
];

/** MobileNet v1: Keras publishes every alpha at 128, 160, 192 and 224 px. */
const MOBILENET_PARAMS: [alpha: number, text: string, params: number, forwardCost: number][] = [
  [1, '1_0', 3_228_864, 2.45],
  [0.75, '7_5', 1_832_976, 0.927],
  [0.5, '5_0', 829_536, 0.746],
  [0.25, '2_5', 218_544, MOBILENET_QUARTER_COST],
];
const mobilenets = MOBILENET_PARAMS.map(([alpha, text, params, forwardCost]): CatalogEntry => ({
  id: alpha === 1 ? 'mobilenet' : `mobilenet_${alpha}`,
  displayName: `MobileNet ${alpha.toFixed(2)} (ImageNet, download)`,
  architecture: 'mobilenet_v1',
  alpha,
  source: {
    kind: 'keras',
    files: [128, 160, 192, 224].flatMap((size) => [
      { url: `${STORE}/mobilenet/mobilenet_${text}_${size}_tf.h5`, includeTop: true, inputSize: size },
      { url: `${STORE}/mobilenet/mobilenet_${text}_${size}_tf_no_top.h5`, includeTop: false, inputSize: size },
    ]),
  },
  defaultInputSize: 224,
  minInputSize: 32,
  maxInputSize: 512,
  preprocessing: 'scale-minus1-1',
  defaultCutLayer: 'conv_pw_13_relu',
  params,
  sizeOnDiskBytes: Math.round(params * 4.05),
  forwardCost,
  licence: 'Apache-2.0 (weights from TensorFlow-Slim checkpoints)',
  origin: `keras.applications MobileNet (alpha ${alpha}) ImageNet weights (notop file at the chosen input size when Keras has one, else 224), downloaded on first use and cached; ${KERAS_CODE}`,
}));

/** MobileNetV2: every alpha at 96–224 px, except 1.3 and 1.4 (224 only). */
const MOBILENET_V2_PARAMS: [alpha: number, params: number, forwardCost: number][] = [
  [1, 2_257_984, MOBILENET_V2_COST],
  [0.35, 410_208, 0.201],
  [0.5, 706_224, 0.321],
  [0.75, 1_382_064, 0.835],
  [1.3, 3_766_048, 2.54],
  [1.4, 4_363_712, 3.74],
];
/** Python's str(float(alpha)), which Keras puts in MobileNetV2 file names: 1.0, 0.35, 0.5. */
const pythonFloat = (n: number) => (Number.isInteger(n) ? n.toFixed(1) : String(n));
const mobilenetV2s = MOBILENET_V2_PARAMS.map(([alpha, params, forwardCost]): CatalogEntry => {
  const name = `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${pythonFloat(alpha)}`;
  const sizes = alpha > 1 ? [224] : [96, 128, 160, 192, 224];
  return {
    id: alpha === 1 ? 'mobilenet_v2' : `mobilenet_v2_${pythonFloat(alpha)}`,
    displayName: `MobileNetV2 ${alpha.toFixed(2)} (ImageNet, download)`,
    architecture: 'mobilenet_v2',
    alpha,
    source: {
      kind: 'keras',
      files: sizes.flatMap((size) => [
        { url: `${STORE}/mobilenet_v2/${name}_${size}.h5`, includeTop: true, inputSize: size },
        { url: `${STORE}/mobilenet_v2/${name}_${size}_no_top.h5`, includeTop: false, inputSize: size },
      ]),
    },
    defaultInputSize: 224,
    minInputSize: 32,
    maxInputSize: 512,
    preprocessing: 'scale-minus1-1',
    defaultCutLayer: 'out_relu',
    params,
    sizeOnDiskBytes: Math.round(params * 4.05),
    forwardCost,
    licence: 'Apache-2.0 (weights from TensorFlow-Slim checkpoints)',
    origin: `keras.applications MobileNetV2 (alpha ${alpha}) ImageNet weights (notop file at the chosen input size when Keras has one, else 224), downloaded on first use and cached; ${KERAS_CODE}`,
  };
});

export const KERAS_CATALOG: readonly CatalogEntry[] = [...classic, ...mobilenets, ...mobilenetV2s];
