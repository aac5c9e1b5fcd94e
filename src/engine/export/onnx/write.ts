// Writes a run's classifier as an .onnx file, atomically (a failed export leaves no file behind).
import type { LayersArtifacts } from '../../models/layersFiles';
import { writeFileAtomic } from '../../runs/atomic';
import type { ModelCard } from '../../training/artifacts';
import { toOnnx } from './convert';

export async function writeOnnx(artifacts: LayersArtifacts, card: ModelCard, file: string): Promise<number> {
  const bytes = toOnnx(artifacts, card, file);
  await writeFileAtomic(file, bytes);
  return bytes.length;
}
