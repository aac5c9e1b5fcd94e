// Turns any image a user may drop into a dataset into size×size RGB bytes, or a one-line reason why it cannot.
import { extname } from 'node:path';
import sharp from 'sharp';
import { explainDecodeFailure } from './decode-reasons';

export type DecodeResult = { ok: true; pixels: Uint8Array } | { ok: false; reason: string };

export interface DecodeOptions {
  /** Larger images are refused from their header, before any pixel memory is allocated. */
  maxPixels?: number;
}

export const DEFAULT_MAX_PIXELS = 50_000_000;

/** RGB, HWC, size*size*3 bytes; never throws for a bad file. */
export function decodeImage(path: string, size: number, opts: DecodeOptions = {}): Promise<DecodeResult> {
  return decode(path, extname(path), size, opts);
}

export function decodeImageBuffer(buffer: Uint8Array, size: number, opts: DecodeOptions = {}): Promise<DecodeResult> {
  return decode(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength), '', size, opts);
}

/** An image as it looks, upright, transparent parts on white, in sRGB — before any resizing. */
export function uprightRgb(input: string | Buffer, maxPixels = DEFAULT_MAX_PIXELS): sharp.Sharp {
  // failOn 'error' rejects truncated files but keeps photos with harmless warnings (e.g. extraneous bytes).
  return sharp(input, { limitInputPixels: maxPixels, failOn: 'error' }).autoOrient().flatten({ background: '#ffffff' }).toColourspace('srgb');
}

async function decode(input: string | Buffer, extension: string, size: number, opts: DecodeOptions): Promise<DecodeResult> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`image size must be a positive whole number of pixels, got ${size}`);
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  try {
    const data = await uprightRgb(input, maxPixels)
      // 'fill' squashes to a square without cropping, as Keras' image_dataset_from_directory does.
      .resize(size, size, { fit: 'fill' })
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer();
    return { ok: true, pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    return { ok: false, reason: await explainDecodeFailure(input, extension, error, maxPixels) };
  }
}
