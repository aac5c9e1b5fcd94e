// Small JPEG previews of dataset images as data: URIs, so an exported report shows its pictures without file references.
import { uprightRgb } from './decode';

/** A JPEG data: URI at most `maxSide` pixels on its longer side (never enlarged), or undefined when the file cannot be read. */
export async function thumbnailDataUri(path: string, maxSide: number): Promise<string | undefined> {
  try {
    const jpeg = await uprightRgb(path).resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
    return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
  } catch {
    return undefined;
  }
}
