// WCAG contrast arithmetic and the confusion matrix's cell colours: each cell's text colour is chosen from its own
// computed background, so counts stay readable (≥ 4.5:1) on every shade in every theme. No DOM: unit-tested.

export type Rgb = [number, number, number];

/** #rgb, #rrggbb (alpha digits ignored), rgb()/rgba(); undefined for anything else. */
export function parseColor(color: string): Rgb | undefined {
  const c = color.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c)?.[1];
  if (hex && [3, 4, 6, 8].includes(hex.length)) {
    const full = hex.length <= 4 ? [...hex].map((d) => d + d).join('') : hex;
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
  }
  const parts = /^rgba?\(([^)]+)\)$/i.exec(c)?.[1].split(/[\s,/]+/).filter(Boolean).slice(0, 3).map(Number);
  return parts && parts.length === 3 && parts.every(Number.isFinite) ? (parts as Rgb) : undefined;
}

/** CSS `color-mix(in srgb, a share, b)`. */
export const mix = (a: Rgb, b: Rgb, share: number): Rgb => a.map((v, i) => Math.round(v * share + b[i] * (1 - share))) as Rgb;

export const toHex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** WCAG 2 relative luminance. */
export function luminance(c: Rgb): number {
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** WCAG AA for normal text. */
export const MIN_CONTRAST = 4.5;

/** The theme colours a matrix is painted with: correct predictions in one hue, mistakes in another. */
export interface MatrixPalette { background: string; foreground: string; correct: string; wrong: string }

/** How much of the cell colour the strongest cell gets (the rest is the editor background). */
const STRONGEST = 0.85;

/**
 * A cell's background (its hue mixed into the editor background by `intensity`) and the text colour that reads on
 * it: the theme's foreground when it passes, else the editor background, else black or white (one always does).
 */
export function cellColours(palette: MatrixPalette, correct: boolean, intensity: number): { background: string; color: string } {
  const editor = parseColor(palette.background) ?? [30, 30, 30];
  const hue = parseColor(correct ? palette.correct : palette.wrong) ?? editor;
  const background = mix(hue, editor, STRONGEST * Math.min(1, Math.max(0, intensity)));
  const themed = [palette.foreground, palette.background].map(parseColor).filter((c): c is Rgb => c !== undefined);
  const text = themed.find((c) => contrastRatio(c, background) >= MIN_CONTRAST)
    ?? ([[0, 0, 0], [255, 255, 255]] as Rgb[]).sort((a, b) => contrastRatio(b, background) - contrastRatio(a, background))[0];
  return { background: toHex(background), color: toHex(text) };
}
