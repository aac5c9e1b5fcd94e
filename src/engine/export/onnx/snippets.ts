// Code that loads the exported .onnx and classifies one photo, for Python, C# and JavaScript: resize to the input
// size (squashed, no crop, as the run did), feed RGB pixels 0–255 NHWC — the scaling is inside the model.
import type { ModelCard } from '../../training/artifacts';
import { INPUT_NAME, OUTPUT_NAME } from './convert';

export interface OnnxSnippets {
  python: string;
  csharp: string;
  javascript: string;
}

export function onnxSnippets(file: string, card: ModelCard): OnnxSnippets {
  const size = card.inputSize;
  const path = JSON.stringify(file);
  const python = [
    '# pip install onnxruntime pillow numpy',
    'import json',
    'import numpy as np',
    'import onnxruntime as ort',
    'from PIL import Image, ImageOps',
    '',
    `session = ort.InferenceSession(${path})`,
    `classes = json.loads(session.get_modelmeta().custom_metadata_map["classes"])`,
    '',
    `image = ImageOps.exif_transpose(Image.open("photo.jpg")).convert("RGB").resize((${size}, ${size}))`,
    'pixels = np.asarray(image, dtype="float32")[None]  # [1, H, W, 3], 0-255',
    `probabilities = session.run(["${OUTPUT_NAME}"], {"${INPUT_NAME}": pixels})[0][0]`,
    'print(classes[int(probabilities.argmax())], float(probabilities.max()))',
  ].join('\n');
  const csharp = [
    '// dotnet add package Microsoft.ML.OnnxRuntime; dotnet add package SixLabors.ImageSharp',
    'using System.Linq;',
    'using System.Text.Json;',
    'using Microsoft.ML.OnnxRuntime;',
    'using Microsoft.ML.OnnxRuntime.Tensors;',
    'using SixLabors.ImageSharp;',
    'using SixLabors.ImageSharp.PixelFormats;',
    'using SixLabors.ImageSharp.Processing;',
    '',
    `using var session = new InferenceSession(@${path});`,
    'var classes = JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["classes"])!;',
    'using var image = Image.Load<Rgb24>("photo.jpg");',
    `image.Mutate(x => x.AutoOrient().Resize(${size}, ${size}));`,
    `var pixels = new DenseTensor<float>(new[] { 1, ${size}, ${size}, 3 });`,
    `for (int y = 0; y < ${size}; y++) for (int x = 0; x < ${size}; x++) { var p = image[x, y]; pixels[0, y, x, 0] = p.R; pixels[0, y, x, 1] = p.G; pixels[0, y, x, 2] = p.B; }`,
    `using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("${INPUT_NAME}", pixels) });`,
    'var probabilities = results.First().AsEnumerable<float>().ToArray();',
    'int best = System.Array.IndexOf(probabilities, probabilities.Max());',
    'System.Console.WriteLine($"{classes[best]} {probabilities[best]}");',
  ].join('\n');
  const javascript = [
    '// npm install onnxruntime-node sharp',
    "const ort = require('onnxruntime-node');",
    "const sharp = require('sharp');",
    '',
    '(async () => {',
    `  const session = await ort.InferenceSession.create(${path});`,
    // onnxruntime-node does not expose the model's metadata, so the class names are written out here.
    `  const classes = ${JSON.stringify(card.classes)};`,
    `  const { data } = await sharp('photo.jpg').rotate().removeAlpha().resize(${size}, ${size}, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });`,
    `  const pixels = new ort.Tensor('float32', Float32Array.from(data), [1, ${size}, ${size}, 3]);`,
    `  const probabilities = (await session.run({ ${INPUT_NAME}: pixels })).${OUTPUT_NAME}.data;`,
    '  const best = probabilities.indexOf(Math.max(...probabilities));',
    '  console.log(classes[best], probabilities[best]);',
    '})();',
  ].join('\n');
  return { python, csharp, javascript };
}
