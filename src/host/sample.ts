// The host's `sample/write`: the built-in image (Fashion-MNIST) or text (SpamAssassin) sample, data and experiment.
import type { SampleParams, SampleResult } from '../protocol/host';
import { writeSample } from '../engine/sample/imageSample';
import { writeTextSample } from '../engine/text/textSample';

/** Examples per class of the image sample when the client does not say. */
const DEFAULT_PER_CLASS = 60;

export async function writeSampleFor(params: SampleParams): Promise<SampleResult> {
  const experimentFile = params.kind === 'text' ? await writeTextSample(params.dir) : await writeSample(params.dir, params.perClass ?? DEFAULT_PER_CLASS);
  return { experimentFile };
}
