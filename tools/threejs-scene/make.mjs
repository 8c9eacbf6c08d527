// Renders a NeRF-synthetic-style dataset (transforms_{train,val,test}.json, RGBA PNGs) of a scene made
// from third-party assets with three.js in headless Chromium (software WebGL): a dataset that Radiant's
// own sample renderer did not make, so that the Blender loader's camera conventions and training are
// checked against another renderer. Also writes projections_SPLIT.json: where three.js puts a few world
// points in each view.
//
//   node make.mjs OUT [--size 800] [--train 100] [--val 10] [--test 200] [--seed 7] [--background forest]
//
// --background forest: the forest HDRI behind the objects (opaque images with surroundings at
// infinity, as photos have) instead of a transparent background.
//
// Cameras as NeRF-synthetic's: 4 units from the origin, train and val on random points of the upper
// hemisphere, test on a circle at 30° elevation.
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const out = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
const text = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : fallback; };
const option = (name, fallback) => Number(text(name, fallback));
const background = text('background', 'transparent');
if (!out || !['transparent', 'forest'].includes(background)) {
  console.error('usage: node make.mjs OUT [--size 800] [--train 100] [--val 10] [--test 200] [--seed 7] [--background transparent|forest]');
  process.exit(2);
}
const size = option('size', 800), counts = { train: option('train', 100), val: option('val', 10), test: option('test', 200) };
let seed = option('seed', 7) >>> 0;
const random = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 4294967296; };

const radius = 4;
const hemisphere = () => {
  const y = 0.05 + 0.9 * random(), phi = 2 * Math.PI * random(), r = Math.sqrt(1 - y * y);
  return [radius * r * Math.cos(phi), radius * y, radius * r * Math.sin(phi)];
};
const circle = (i, n) => {
  const elevation = Math.PI / 6, phi = 2 * Math.PI * i / n;
  return [radius * Math.cos(elevation) * Math.cos(phi), radius * Math.sin(elevation), radius * Math.cos(elevation) * Math.sin(phi)];
};
// Camera-to-world rows looking from `eye` at the origin, world up +y.
function lookAtOrigin(eye) {
  const n = Math.hypot(...eye), back = eye.map(v => v / n);             // camera +z points away from the target
  let right = [back[2], 0, -back[0]];                                     // up × back
  const rn = Math.hypot(...right); right = right.map(v => v / rn);
  const up = [back[1] * right[2] - back[2] * right[1], back[2] * right[0] - back[0] * right[2], back[0] * right[1] - back[1] * right[0]];
  return [[right[0], up[0], back[0], eye[0]], [right[1], up[1], back[1], eye[1]], [right[2], up[2], back[2], eye[2]], [0, 0, 0, 1]];
}
// World points whose projections are recorded: the origin, the base's top centre and rim, points in the objects.
const points = [[0, 0, 0], [0, -0.775, 0], [1.15, -0.775, 0], [0, -0.775, -1.15], [-0.55, 0.1, 0.2], [0.7, -0.15, -0.3], [0.3, 0.5, -0.4]];

const browser = await chromium.launch({
  executablePath: process.env.RADIANT_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  // The page and its modules come from this folder through a made-up origin (no server to start).
  await page.route('http://scene.invalid/**', route => {
    const path = resolve(here, decodeURIComponent(new URL(route.request().url()).pathname.slice(1)));
    if (!path.startsWith(here + sep)) return route.fulfill({ status: 404 });
    return route.fulfill({ path });
  });
  await page.goto(`http://scene.invalid/scene.html?size=${size}&background=${background}`);
  await page.waitForFunction(() => window.sceneReady === true, null, { timeout: 120_000 }).catch(() => {
    throw new Error(`the scene did not load: ${errors.join('; ') || 'no page error'}`);
  });
  for (const split of ['train', 'val', 'test']) {
    mkdirSync(join(out, split), { recursive: true });
    const frames = [], projections = [];
    for (let i = 0; i < counts[split]; i++) {
      const rows = lookAtOrigin(split === 'test' ? circle(i, counts.test) : hemisphere());
      const { png, pixels } = await page.evaluate(([r, p]) => window.renderView(r, p), [rows, points]);
      writeFileSync(join(out, split, `r_${i}.png`), Buffer.from(png.split(',')[1], 'base64'));
      frames.push({ file_path: `./${split}/r_${i}`, rotation: 0.0, transform_matrix: rows });
      projections.push({ file_path: `./${split}/r_${i}`, points, pixels });
    }
    writeFileSync(join(out, `transforms_${split}.json`), JSON.stringify({ camera_angle_x: 0.6911112, frames }, null, 2));
    writeFileSync(join(out, `projections_${split}.json`), JSON.stringify(projections));
  }
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  console.log(`wrote ${counts.train} train, ${counts.val} val and ${counts.test} test views of ${size}x${size} to ${out}`);
} finally {
  await browser.close();
}
