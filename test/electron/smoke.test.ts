/**
 * The desktop app, end to end, in the real Electron runtime (Playwright's `_electron`): it
 * launches, shows its tray, opens the dashboard, and starts and pauses a fixture project through
 * the preload bridge. It needs the Electron binary, which CI downloads (npm ci) and machines that
 * install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 do not have: there the whole file is skipped, and
 * the reason is printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElectronApplication, Page } from 'playwright-core';
import { createDemoProject } from '../../electron/engine/demo/project.ts';
import type { ApiEvent, GoldloopClient } from '../../electron/contract/api.ts';
import { TempDirs, waitFor } from '../helpers/project.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The Electron binary's path, or why there is none. */
function electronBinary(): { path: string } | { reason: string } {
  let path: string;
  try {
    // The electron package's main export is the binary's path; it throws when the download was skipped.
    path = createRequire(import.meta.url)('electron') as string;
  } catch (error) {
    return {
      reason: `the Electron binary is not installed (${(error as Error).message.split('\n')[0]}); CI runs this test with the binary downloaded`,
    };
  }
  if (!existsSync(path)) return { reason: `the Electron binary ${path} does not exist; CI runs this test with the binary downloaded` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { reason: 'no display: run it under xvfb-run (CI does)' };
  return { path };
}

const binary = electronBinary();
const skipReason = 'reason' in binary ? binary.reason : undefined;
if (skipReason) console.log(`[electron smoke test] skipped: ${skipReason}`);

/** What the app's test hook (GOLDLOOP_TEST_HOOKS=1) reports about its tray. */
interface TrayProbe {
  exists: boolean;
  icon: string;
  tooltip: string;
  labels: string[];
}

/** The dashboard page's globals, as the preload leaves them (the root tsconfig has no DOM types). */
type Page$ = { goldloop: GoldloopClient; process?: unknown; require?: unknown };

describe.skipIf(skipReason !== undefined)('the desktop app (Electron)', () => {
  const temp = new TempDirs();
  let app: ElectronApplication;
  let dashboard: Page;
  let projectDir: string;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-electron.mjs')], { cwd: root, stdio: 'inherit' });
    expect(build.status).toBe(0);
    projectDir = await temp.make('goldloop-smoke-project-');
    await createDemoProject(projectDir);
    const { _electron } = await import('playwright-core');
    app = await _electron.launch({
      executablePath: (binary as { path: string }).path,
      args: [root, ...(process.platform === 'linux' ? ['--no-sandbox'] : [])],
      env: {
        ...process.env,
        GOLDLOOP_TEST_HOOKS: '1',
        GOLDLOOP_USER_DATA: await temp.make('goldloop-smoke-data-'),
        GOLDLOOP_DEMO_PACE_MS: '2000',
      },
      timeout: 60_000,
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await temp.cleanup();
  });

  const tray = (): Promise<TrayProbe> =>
    app.evaluate(() => (globalThis as unknown as { __goldloopTest: { tray(): TrayProbe } }).__goldloopTest.tray());

  it('launches with its tray and an idle icon', async () => {
    const probe = await waitFor(async () => ((await tray()).exists ? tray() : undefined), 20_000, 'the tray');
    expect(probe.icon).toBe('idle');
    expect(probe.labels).toContain('Open dashboard');
    expect(probe.labels).toContain('Quit Goldloop');
  });

  it('opens the dashboard from the tray action, sandboxed, with the bridge and no Node', async () => {
    await app.evaluate(() =>
      (globalThis as unknown as { __goldloopTest: { act(kind: string): void } }).__goldloopTest.act('openDashboard'),
    );
    dashboard = await app.firstWindow();
    await dashboard.waitForLoadState('domcontentloaded');
    expect(dashboard.url()).toMatch(/^app:\/\/goldloop\//);
    const globals = await dashboard.evaluate(() => {
      const page = globalThis as unknown as Page$;
      return { bridge: typeof page.goldloop?.start, node: typeof page.process, require: typeof page.require };
    });
    expect(globals).toEqual({ bridge: 'function', node: 'undefined', require: 'undefined' });
  });

  it('adds, starts and pauses a fixture project through the bridge, and the tray follows', async () => {
    const projectId = await dashboard.evaluate(
      async (path) => (await (globalThis as unknown as Page$).goldloop.addProject({ path })).project.id,
      projectDir,
    );
    await dashboard.evaluate(async (id) => {
      const seen: ApiEvent['type'][] = [];
      (globalThis as unknown as Page$).goldloop.subscribe((e) => seen.push(e.type));
      await (globalThis as unknown as Page$).goldloop.start({ project_id: id });
    }, projectId);
    await waitFor(async () => ((await tray()).icon === 'running' ? true : undefined), 20_000, 'the running icon');
    const paused = await dashboard.evaluate(
      async (id) => (await (globalThis as unknown as Page$).goldloop.pause({ project_id: id })).project.status?.state,
      projectId,
    );
    expect(paused).toBe('paused');
    await waitFor(async () => ((await tray()).icon === 'paused' ? true : undefined), 20_000, 'the paused icon');
  });

  it('refuses bad arguments over IPC with the field', async () => {
    const error = await dashboard.evaluate(async () =>
      (globalThis as unknown as Page$).goldloop.start({ project_id: 'NOT VALID' }).then(
        () => undefined,
        (e: { error?: { field?: string } }) => e.error?.field,
      ),
    );
    expect(error).toBe('project_id');
  });
});
