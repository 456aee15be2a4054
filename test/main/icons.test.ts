import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trayIconFiles } from '../../electron/main/tray-icons.ts';
import type { TrayIcon } from '../../electron/main/tray-view.ts';
// @ts-expect-error: a plain .mjs script without type declarations.
import { icoFromPngs, TRAY_STATES } from '../../scripts/icons.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const STATES: TrayIcon[] = ['idle', 'running', 'paused', 'error', 'gold'];

/** Width and height from a PNG's IHDR chunk. */
function pngSize(data: Buffer): [number, number] {
  expect(data.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [data.readUInt32BE(16), data.readUInt32BE(20)];
}

/** The sizes in an ICO directory, each checked to point at a PNG of that size. */
function icoSizes(data: Buffer): number[] {
  expect([data.readUInt16LE(0), data.readUInt16LE(2)]).toEqual([0, 1]);
  return Array.from({ length: data.readUInt16LE(4) }, (_, i) => {
    const at = 6 + i * 16;
    const size = data.readUInt8(at) || 256;
    const length = data.readUInt32LE(at + 8);
    const offset = data.readUInt32LE(at + 12);
    expect(pngSize(data.subarray(offset, offset + length))).toEqual([size, size]);
    return size;
  });
}

describe('icons', () => {
  it('draws every tray state the tray view can ask for', () => {
    expect([...TRAY_STATES].sort()).toEqual([...STATES].sort());
  });

  it.each(STATES)('has the %s tray images at every size the platforms ask for', (state) => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const file = trayIconFiles(state, platform, root);
      expect(existsSync(file), file).toBe(true);
    }
    const tray = `${root}resources/icons/tray/`;
    expect(pngSize(readFileSync(`${tray}${state}Template.png`))).toEqual([16, 16]);
    expect(pngSize(readFileSync(`${tray}${state}Template@2x.png`))).toEqual([32, 32]);
    for (const size of [16, 32, 48]) expect(pngSize(readFileSync(`${tray}${state}-${size}.png`))).toEqual([size, size]);
    expect(icoSizes(readFileSync(`${tray}${state}.ico`))).toEqual([16, 32, 48]);
  });

  it('has the app icon for the installers', () => {
    expect(pngSize(readFileSync(`${root}build/icon.png`))).toEqual([1024, 1024]);
    expect(pngSize(readFileSync(`${root}build/icon-512.png`))).toEqual([512, 512]);
    expect(icoSizes(readFileSync(`${root}build/icon.ico`))).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('keeps the SVG sources next to the images', () => {
    for (const name of [...STATES.map((s) => `tray-${s}.svg`), 'app.svg'])
      expect(existsSync(`${root}resources/icons/src/${name}`), name).toBe(true);
  });

  it('writes an ICO whose directory points at each PNG, with 256 stored as 0', () => {
    const png = (size: number): Buffer => {
      const b = Buffer.alloc(24);
      b.write('\x89PNG', 0, 'latin1');
      b.writeUInt32BE(size, 16);
      b.writeUInt32BE(size, 20);
      return b;
    };
    const ico: Buffer = icoFromPngs([
      { size: 16, png: png(16) },
      { size: 256, png: png(256) },
    ]);
    expect(ico.readUInt8(6 + 16)).toBe(0);
    expect(icoSizes(ico)).toEqual([16, 256]);
    expect(() => icoFromPngs([{ size: 300, png: png(300) }])).toThrow(/1 to 256/);
  });
});
