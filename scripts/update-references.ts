// Regenerates the reference PNGs of the chart and slide image comparisons. Run it after
// a deliberate change to how charts or slides look, and review the new images (git diff
// shows which changed) before committing them.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  REFERENCE_DIR, hasPdftoppm, renderChartImages, renderSlideImages,
} from '../test/render/image-cases.ts';

if (!(await hasPdftoppm())) {
  console.error('pdftoppm not found: install poppler-utils (apt-get install poppler-utils)');
  process.exit(1);
}
await mkdir(REFERENCE_DIR, { recursive: true });
const images = new Map([...await renderChartImages(), ...await renderSlideImages()]);
for (const [name, png] of images) {
  await writeFile(join(REFERENCE_DIR, `${name}.png`), png);
}
console.log(`wrote ${images.size} reference images to ${REFERENCE_DIR}`);
