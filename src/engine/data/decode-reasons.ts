// Short, human reasons for images that fail to decode: what the file really is says more than libvips' message.
import { promises as fs } from 'node:fs';
import sharp from 'sharp';

const HEAD_BYTES = 512;

const SIGNATURES: [format: string, matches: (head: Buffer) => boolean][] = [
  ['JPEG', (head) => head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff],
  ['PNG', (head) => head.toString('latin1', 0, 8) === '\x89PNG\r\n\x1a\n'],
  ['GIF', (head) => head.toString('latin1', 0, 4) === 'GIF8'],
  ['WebP', (head) => head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP'],
  ['TIFF', (head) => ['II*\0', 'MM\0*'].includes(head.toString('latin1', 0, 4))],
  ['AVIF', (head) => head.toString('latin1', 4, 8) === 'ftyp' && head.toString('latin1', 8, 11) === 'avi'],
];

/** Text has no control bytes other than tab, newline and carriage return; image headers always do. */
function looksLikeText(head: Buffer): boolean {
  return head.every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte !== 0x7f));
}

function formatPixels(pixels: number): string {
  return pixels >= 1e6 ? `${Number((pixels / 1e6).toFixed(1))} MP` : `${pixels} pixels`;
}

async function readHead(input: string | Buffer): Promise<{ head: Buffer; bytes: number }> {
  if (typeof input !== 'string') return { head: input.subarray(0, HEAD_BYTES), bytes: input.length };
  const handle = await fs.open(input, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    return { head: buffer.subarray(0, bytesRead), bytes: (await handle.stat()).size };
  } finally {
    await handle.close();
  }
}

export async function explainDecodeFailure(input: string | Buffer, extension: string, error: unknown, maxPixels: number): Promise<string> {
  let head: Buffer, bytes: number;
  try {
    ({ head, bytes } = await readHead(input));
  } catch (readError) {
    const code = (readError as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'file not found (moved or deleted after the scan?)' : `cannot read the file (${code})`;
  }
  if (bytes === 0) return 'empty file (0 bytes)';
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    const { width = 0, height = 0 } = await sharp(input, { limitInputPixels: false }).metadata().catch((): sharp.Metadata => ({}) as sharp.Metadata);
    return `image is ${width}×${height} = ${formatPixels(width * height)}, above the limit of ${formatPixels(maxPixels)}`;
  }
  const format = SIGNATURES.find(([, matches]) => matches(head))?.[0];
  const named = extension ? ` named ${extension}` : '';
  if (!format) return looksLikeText(head) ? `not an image (text file${named})` : `not an image (unknown content${named})`;
  if (/unsupported image format/i.test(message)) return `a ${format} variant this decoder cannot read`;
  return `truncated or corrupt ${format}`;
}
