import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/**
 * The DejaVu fonts shipped under templates/fonts (Bitstream Vera licence, see
 * LICENSE-DejaVu.txt there). They carry the Greek letters, super- and subscripts and
 * mathematical signs the physics text needs (η, χ², ΔR, √s), which the 14 standard PDF
 * fonts lack, and shipping them keeps renders identical across machines.
 */
export const FONT_DIR = fileURLToPath(new URL('../../templates/fonts/', import.meta.url));

export interface FontFace {
  file: string;
  weight: 'normal' | 'bold';
  style: 'normal' | 'italic';
}

export const FONT_FACES = {
  regular: { file: join(FONT_DIR, 'DejaVuSans.ttf'), weight: 'normal', style: 'normal' },
  bold: { file: join(FONT_DIR, 'DejaVuSans-Bold.ttf'), weight: 'bold', style: 'normal' },
  italic: { file: join(FONT_DIR, 'DejaVuSans-Oblique.ttf'), weight: 'normal', style: 'italic' },
  boldItalic: { file: join(FONT_DIR, 'DejaVuSans-BoldOblique.ttf'), weight: 'bold',
    style: 'italic' },
} as const satisfies Record<string, FontFace>;

export const MONO_FONT_FILE = join(FONT_DIR, 'DejaVuSansMono.ttf');

/**
 * Family name under which the chart canvas and the web page know the shipped faces. It
 * differs from 'DejaVu Sans' on purpose: a system copy of DejaVu under the same name
 * makes Skia's font matching pick one face for every weight and style.
 */
export const FONT_FAMILY_NAME = 'Report Sans';
