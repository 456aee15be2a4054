import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(`${root}electron-builder.yml`, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

describe('electron-builder.yml', () => {
  it("matches electron-builder's own schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, log: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('sets the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  it('builds dmg and zip for both Mac architectures with the hardened runtime, NSIS, AppImage and deb', () => {
    expect(config.mac.target).toEqual([
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ]);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(readFileSync(`${root}${config.mac.entitlements}`, 'utf8')).toContain('com.apple.security.cs.allow-jit');
    expect(config.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis']);
    expect(config.linux.target.map((t: { target: string }) => t.target)).toEqual(['AppImage', 'deb']);
  });

  it('packs the built main, preload and dashboard that package.json points at', () => {
    expect(pkg.main).toBe('out/main/main.js');
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'dist/renderer/**', 'package.json']));
    // Read at run time from the package's root: the bundle holds code only.
    expect(config.files).toEqual(
      expect.arrayContaining(['electron/engine/loop/prompt-template.md', 'electron/engine/demo/scripted-agent.mjs']),
    );
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['electron/engine/demo/scripted-agent.mjs']));
    expect(config.extraResources).toEqual([{ from: 'resources/icons/tray', to: 'resources/icons/tray' }]);
    expect(pkg.bin.goldloop).toBe('bin/goldloop.js');
    expect(pkg.scripts.start).toMatch(/build-electron\.mjs && electron \.$/);
  });
});
