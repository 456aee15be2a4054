#!/usr/bin/env node
// Renders the icon sources in resources/icons/src/ (SVG) into the PNG and ICO files the app and
// the installers use. Run it after changing a source: `node scripts/icons.mjs`; the outputs are
// committed, so a build needs neither this script nor resvg.
//
//   resources/icons/tray/<state>Template.png, @2x   macOS menu bar (black + alpha; macOS tints it)
//   resources/icons/tray/<state>-16|32|48.png        Windows and Linux, in the state's colour
//   resources/icons/tray/<state>.ico                 Windows tray (16, 32, 48 in one file)
//   build/icon.png (1024), build/icon-512.png        app icon; electron-builder makes .icns from icon.png
//   build/icon.ico                                   Windows app and installer icon (16 ... 256)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(root, 'resources', 'icons', 'src');
const TRAY_OUT = join(root, 'resources', 'icons', 'tray');
const BUILD_OUT = join(root, 'build');

export const TRAY_STATES = ['idle', 'running', 'paused', 'error', 'gold'];

/**
 * An ICO file holding PNG images (Windows Vista and later read PNG entries): a 6-byte header,
 * one 16-byte directory entry per image, then the PNG data. Sizes of 256 are written as 0.
 * @param {{ size: number, png: Buffer }[]} images
 * @returns {Buffer}
 */
export function icoFromPngs(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const entries = Buffer.alloc(16 * images.length);
  let offset = header.length + entries.length;
  images.forEach(({ size, png }, i) => {
    if (size < 1 || size > 256) throw new Error(`an ICO image is 1 to 256 pixels wide, not ${size}`);
    const at = i * 16;
    entries.writeUInt8(size === 256 ? 0 : size, at); // width
    entries.writeUInt8(size === 256 ? 0 : size, at + 1); // height
    entries.writeUInt8(0, at + 2); // palette colours: none
    entries.writeUInt8(0, at + 3); // reserved
    entries.writeUInt16LE(1, at + 4); // colour planes
    entries.writeUInt16LE(32, at + 6); // bits per pixel
    entries.writeUInt32LE(png.length, at + 8);
    entries.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, entries, ...images.map((i) => i.png)]);
}

/** Renders an SVG text to a square PNG of `size` pixels. */
async function render(svg, size) {
  const { Resvg } = await import('@resvg/resvg-js');
  return Buffer.from(
    new Resvg(svg, { fitTo: { mode: 'width', value: size }, shapeRendering: 2, background: 'rgba(0,0,0,0)' }).render().asPng(),
  );
}

/** The source with its colour replaced: template images are black, and macOS colours them. */
const recolour = (svg, colour) => svg.replace(/(<svg[^>]*\scolor=")[^"]*(")/, `$1${colour}$2`);

async function main() {
  mkdirSync(TRAY_OUT, { recursive: true });
  mkdirSync(BUILD_OUT, { recursive: true });
  const written = [];
  const write = (path, data) => {
    writeFileSync(path, data);
    written.push(path.slice(root.length));
  };
  for (const state of TRAY_STATES) {
    const svg = readFileSync(join(SRC, `tray-${state}.svg`), 'utf8');
    const template = recolour(svg, '#000000');
    write(join(TRAY_OUT, `${state}Template.png`), await render(template, 16));
    write(join(TRAY_OUT, `${state}Template@2x.png`), await render(template, 32));
    const sizes = [16, 32, 48];
    const pngs = [];
    for (const size of sizes) {
      const png = await render(svg, size);
      pngs.push({ size, png });
      write(join(TRAY_OUT, `${state}-${size}.png`), png);
    }
    write(join(TRAY_OUT, `${state}.ico`), icoFromPngs(pngs));
  }
  const app = readFileSync(join(SRC, 'app.svg'), 'utf8');
  write(join(BUILD_OUT, 'icon.png'), await render(app, 1024));
  write(join(BUILD_OUT, 'icon-512.png'), await render(app, 512));
  const icoSizes = [16, 24, 32, 48, 64, 128, 256];
  write(
    join(BUILD_OUT, 'icon.ico'),
    icoFromPngs(await Promise.all(icoSizes.map(async (size) => ({ size, png: await render(app, size) })))),
  );
  process.stdout.write(`wrote ${written.length} files:\n${written.map((w) => `  ${w}`).join('\n')}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(`icons: ${error.stack ?? error}\n`);
    process.exit(1);
  });
}
