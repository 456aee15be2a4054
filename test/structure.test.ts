import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TempDirs } from './helpers/temp.ts';

/**
 * The layer rules of .dependency-cruiser.cjs, which `npm test` runs over the real tree: here they
 * run over small trees of our own, so each rule is shown to refuse what it names (a rule that
 * matched nothing would pass the real tree too).
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const temps = new TempDirs();
afterAll(() => temps.cleanup());

/** Writes the files into a fresh folder and runs the project's rules over it; returns the violations printed. */
async function cruise(files: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const dir = await temps.make('goldloop-structure-');
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true } }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const roots = [...new Set(Object.keys(files).map((p) => p.split('/')[0]!))].filter((r) => r !== 'node_modules');
  const r = spawnSync(DEPCRUISE, [...roots, '--config', CONFIG], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('the layer rules', () => {
  it('pass a tree where each layer imports only those below it', async () => {
    const r = await cruise({
      'electron/contract/status.ts': 'export type State = string;\n',
      'electron/platform/git.ts': "import type { State } from '../contract/status.ts';\nexport const s: State = 'x';\n",
      'electron/store/kb.ts': "import { s } from '../platform/git.ts';\nexport const k = s;\n",
      'electron/engine/tasks/queue.ts': "import { k } from '../../store/kb.ts';\nexport const q = k;\n",
      'electron/engine/loop/cycle.ts': "import { q } from '../tasks/queue.ts';\nexport const c = q;\n",
      'electron/server/supervisor.ts': "import { c } from '../engine/loop/cycle.ts';\nexport const v = c;\n",
      'electron/cli/main.ts': "import { v } from '../server/supervisor.ts';\nexport const m = v;\n",
      'renderer/src/app.ts': "import type { State } from '../../electron/contract/status.ts';\nexport const a: State = 'y';\n",
    });
    expect(r.output).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  });

  it('refuse an import up a layer, naming the rule, the file and the import', async () => {
    const r = await cruise({
      'electron/engine/loop/types.ts': 'export type EngineEvent = { type: string };\n',
      'electron/store/history.ts': "import type { EngineEvent } from '../engine/loop/types.ts';\nexport type H = EngineEvent;\n",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/layer-store: electron\/store\/history\.ts → electron\/engine\/loop\/types\.ts/);
  });

  it('refuse an engine folder that imports the loop above it, and a cycle', async () => {
    const r = await cruise({
      'electron/engine/gates/run.ts': "import { x } from '../loop/cycle.ts';\nexport const y = x;\n",
      'electron/engine/loop/cycle.ts': "import { y } from '../gates/run.ts';\nexport const x = 1;\nexport const z = y;\n",
    });
    expect(r.output).toMatch(/engine-gates: electron\/engine\/gates\/run\.ts → electron\/engine\/loop\/cycle\.ts/);
    expect(r.output).toMatch(/no-cycles: electron\/engine\/gates\/run\.ts/);
  });

  it('refuse the renderer anything but the contract, Node built-ins and packages other than svelte', async () => {
    const r = await cruise({
      'node_modules/zod/package.json': '{ "name": "zod", "main": "index.js" }\n',
      'node_modules/zod/index.js': 'export const z = {};\n',
      'electron/store/kb.ts': 'export const k = 1;\n',
      'renderer/src/app.ts':
        "import { k } from '../../electron/store/kb.ts';\nimport { readFileSync } from 'node:fs';\nimport { z } from 'zod';\nexport const a = [k, readFileSync, z];\n",
    });
    expect(r.output).toMatch(/renderer-contract-only: renderer\/src\/app\.ts → electron\/store\/kb\.ts/);
    expect(r.output).toMatch(/renderer-no-node: renderer\/src\/app\.ts → (node:)?fs/);
    expect(r.output).toMatch(/renderer-svelte-only: renderer\/src\/app\.ts → .*zod/);
  });

  it('refuse electron outside the wiring files, and any package in the contract', async () => {
    const r = await cruise({
      'electron/engine/loop/notify.ts': "import { Notification } from 'electron';\nexport const n = Notification;\n",
      'electron/contract/api.ts': "import { z } from 'zod';\nexport const s = z;\n",
      'electron/main/main.ts': "import { app } from 'electron';\nexport const a = app;\n",
    });
    expect(r.output).toMatch(/electron-only-in-wiring: electron\/engine\/loop\/notify\.ts → electron/);
    expect(r.output).not.toMatch(/electron-only-in-wiring: electron\/main\/main\.ts/);
    expect(r.output).toMatch(/contract-imports-nothing: electron\/contract\/api\.ts → zod/);
  });

  it('refuse settings read from the files behind store/settings/index.ts', async () => {
    const r = await cruise({
      'electron/store/settings/view.ts': 'export const v = 1;\n',
      'electron/store/settings/index.ts': "export { v } from './view.ts';\n",
      'electron/server/settings.ts':
        "import { v } from '../store/settings/view.ts';\nimport { v as w } from '../store/settings/index.ts';\nexport const s = [v, w];\n",
    });
    expect(r.output).toMatch(/settings-one-entry: electron\/server\/settings\.ts → electron\/store\/settings\/view\.ts/);
    expect(r.output).not.toMatch(/settings-one-entry: electron\/server\/settings\.ts → electron\/store\/settings\/index\.ts/);
  });
});
