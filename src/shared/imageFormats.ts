// The image files Transfer Lab reads: what sharp's prebuilt libvips decodes. Not BMP: libvips reads it only through
// ImageMagick, which those binaries leave out, so no menu, picker or dataset search offers it either.
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'tif', 'tiff', 'avif'] as const;

const extensionOf = (path: string) => /\.([^./\\]*)$/.exec(path)?.[1].toLowerCase() ?? '';

export const isImagePath = (path: string): boolean => (IMAGE_EXTENSIONS as readonly string[]).includes(extensionOf(path));
