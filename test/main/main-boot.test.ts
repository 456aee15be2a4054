import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSupervisor } from '../../electron/server/supervisor.ts';
import { API_METHODS } from '../../electron/contract/api.ts';
import { API_CHANNELS, SNAPSHOT_CHANNEL } from '../../electron/contract/ipc.ts';
import { TempDirs, waitFor } from '../helpers/project.ts';

/**
 * The built main process (out/main/main.js) booted in plain Node against a recording stand-in for
 * Electron (fake-electron/), because the Electron binary cannot run here. It checks the wiring the
 * unit tests cannot: the bundle loads, the app scheme is registered and serves the dashboard with
 * the CSP, every IPC channel is handled, the tray gets a real icon file, and a quit pauses cleanly.
 * The real runtime is covered by test/electron/smoke.test.ts in CI.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const temp = new TempDirs();

interface Report {
  schemes: { scheme: string; privileges: Record<string, boolean> }[];
  protocolHandlers: string[];
  ipcHandle: string[];
  trays: { images: string[]; tooltips: string[]; menus: number; destroyed: boolean }[];
  windows: number;
  /** The URLs windows were asked to load. */
  loaded?: string[];
  quit: number;
  exitCode?: number;
  served?: Record<string, { status: number; csp: string | null; type: string | null } | null>;
}

/** One run of the built main process on the stand-in Electron, with its record. */
class Boot {
  child!: ChildProcess;
  stderr = '';
  constructor(readonly data: string) {}
  get reportFile(): string {
    return join(this.data, 'report.json');
  }
  report(): Report | undefined {
    return existsSync(this.reportFile) ? (JSON.parse(readFileSync(this.reportFile, 'utf8')) as Report) : undefined;
  }
  async start(env: Record<string, string> = {}): Promise<void> {
    this.child = spawn(
      process.execPath,
      ['--import', join(root, 'test/main/fake-electron/register.mjs'), join(root, 'out/main/main.js'), '--hidden'],
      {
        env: {
          ...process.env,
          FAKE_ELECTRON_REPORT: this.reportFile,
          FAKE_ELECTRON_APP_PATH: root,
          GOLDLOOP_USER_DATA: this.data,
          GOLDLOOP_DEMO_PACE_MS: '3000',
          ...env,
        },
        stdio: ['ignore', 'inherit', 'pipe'],
      },
    );
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    // The tray is the last thing start() makes before it is idle: poll the record until it is there.
    // An app that ended first (killed, crashed) has no tray to wait for: its exit is the answer.
    const ended = (): boolean => this.child.exitCode !== null || this.child.signalCode !== null;
    await waitFor(() => (this.report()?.trays.length || ended() ? true : undefined), 30_000, 'the tray');
  }
  /** SIGTERM, as a logout or `kill` sends it; resolves with the exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) =>
      this.child.exitCode !== null ? resolve(this.child.exitCode) : this.child.once('exit', (c) => resolve(c)),
    );
    this.child.kill('SIGTERM');
    return exited;
  }
  kill(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

const boots: Boot[] = [];
let boot: Boot;
const report = (): Report | undefined => boot.report();

beforeAll(async () => {
  expect(spawnSync(process.execPath, [join(root, 'scripts', 'build-electron.mjs')], { cwd: root, encoding: 'utf8' }).status).toBe(0);
  boot = new Boot(await temp.make('goldloop-boot-'));
  boots.push(boot);
  await boot.start();
}, 60_000);

afterAll(async () => {
  for (const b of boots) b.kill();
  await temp.cleanup();
});

describe('the built main process, on a stand-in Electron', () => {
  it('registers the app scheme as standard and secure before ready', () => {
    expect(report()!.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it('serves the dashboard on app://goldloop with the strict CSP, and nothing outside it', async () => {
    boot.child.kill('SIGUSR2');
    const served = await waitFor(() => report()?.served, 5_000, 'the probe');
    expect(served['app://goldloop/index.html']).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(served['app://goldloop/index.html']!.csp).toContain("connect-src 'none'");
    expect(served['app://goldloop/..%2f..%2fpackage.json']!.status).toBe(404);
    expect(served['app://elsewhere/index.html']!.status).toBe(404);
  });

  it('handles one IPC channel per API method, and the snapshot', () => {
    expect([...report()!.ipcHandle].sort()).toEqual([...API_METHODS.map((m) => API_CHANNELS[m]), SNAPSHOT_CHANNEL].sort());
  });

  it('shows the tray with an icon file that exists, and opens no window when started hidden', () => {
    const tray = report()!.trays[0]!;
    expect(tray.images[0]).toMatch(/idle-32\.png$/);
    expect(existsSync(tray.images[0]!)).toBe(true);
    expect(tray.tooltips[0]).toBe('Goldloop — no projects yet: open the dashboard to add one');
    expect(tray.menus).toBeGreaterThan(0);
    expect(report()!.windows).toBe(0);
  });

  it('quits on SIGTERM through the graceful path, with the tray removed', async () => {
    expect(await boot.stop(), boot.stderr).toBe(0);
    expect(report()!.quit).toBe(2);
    expect(report()!.trays[0]!.destroyed).toBe(true);
  });
});

describe('the tray menu, clicked', () => {
  it('switches a kind of notification off in the settings file the CLI reads too', async () => {
    const data = await temp.make('goldloop-click-');
    const clicked = new Boot(data);
    boots.push(clicked);
    await clicked.start({ FAKE_ELECTRON_CLICK: 'Notifications>Errors' });
    const file = join(data, 'settings.json');
    const settings = await waitFor(
      () => {
        const s = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { notifications?: Record<string, boolean> }) : undefined;
        return s?.notifications?.errors === false ? s : undefined;
      },
      20_000,
      'the switch in settings.json',
    );
    expect(settings.notifications).toMatchObject({ errors: false, reports: true, gold: true });
    expect(await clicked.stop(), clicked.stderr).toBe(0);
  }, 60_000);
});

describe('the tray Start of a project whose preflight fails', () => {
  it('opens the project in the dashboard, where each fix is listed, instead of only logging the refusal', async () => {
    const data = await temp.make('goldloop-preflight-');
    const supervisor = await openSupervisor({ configDir: data });
    const { project } = await supervisor.api.addProject({ path: await temp.make('preflight-tray-'), init_git: true, create_kb: true });
    await supervisor.close();
    const clicked = new Boot(data);
    boots.push(clicked);
    await clicked.start({ FAKE_ELECTRON_CLICK: `${project.name} — idle>Start` });
    // Started hidden: the only window is the one the refused Start opened, at the project.
    const loaded = await waitFor(
      () => clicked.report()?.loaded?.find((u) => u.includes(project.id)),
      30_000,
      'the dashboard at the project',
    );
    expect(loaded).toContain(`#/project/${project.id}`);
    expect(clicked.stderr).toContain('preflight checks failed; no cycle started');
    expect(await clicked.stop(), clicked.stderr).toBe(0);
  }, 60_000);
});

describe('the built main process across a restart', () => {
  it('resumes the runs that were going when it quit, and keeps them listed through the quit', async () => {
    const data = await temp.make('goldloop-restart-');
    const project = await temp.demo();
    const supervisor = await openSupervisor({ configDir: data });
    const { project: view } = await supervisor.api.addProject({ path: project });
    await supervisor.close();
    // The last session quit while the project ran: its settings list it.
    await writeFile(join(data, 'settings.json'), JSON.stringify({ version: 3, resume_on_launch: [view.id] }));

    const second = new Boot(data);
    boots.push(second);
    await second.start();
    const running = await waitFor(
      () => second.report()?.trays[0]?.tooltips.find((t) => t.startsWith('Running')),
      20_000,
      'the resumed run',
    );
    expect(running).toContain(view.name);
    expect(await second.stop(), second.stderr).toBe(0);

    // The quit paused the run (state saved) and left it listed, so the next launch resumes it.
    const settings = JSON.parse(await readFile(join(data, 'settings.json'), 'utf8')) as { resume_on_launch: string[] };
    expect(settings.resume_on_launch).toEqual([view.id]);
    const after = await openSupervisor({ configDir: data });
    expect((await after.api.getStatus({ project_id: view.id })).state).toBe('paused');
    await after.close();
  }, 60_000);

  it('quits cleanly on a SIGTERM that comes while it is still starting, and still resumes the runs at the next launch', async () => {
    const data = await temp.make('goldloop-early-term-');
    const project = await temp.demo();
    const supervisor = await openSupervisor({ configDir: data });
    const { project: view } = await supervisor.api.addProject({ path: project });
    await supervisor.close();
    await writeFile(join(data, 'settings.json'), JSON.stringify({ version: 3, resume_on_launch: [view.id] }));

    const early = new Boot(data);
    boots.push(early);
    // The signal is sent the moment the tray is made, before the runs to resume have been started.
    const starting = early.start({ FAKE_ELECTRON_TERM_AT_TRAY: '1' });
    const exited = new Promise<number | null>((resolve) => early.child.once('exit', (code) => resolve(code)));
    await starting;
    expect(await exited, early.stderr).toBe(0);
    const settings = JSON.parse(await readFile(join(data, 'settings.json'), 'utf8')) as { resume_on_launch: string[] };
    expect(settings.resume_on_launch).toEqual([view.id]);
    const after = await openSupervisor({ configDir: data });
    expect((await after.api.getStatus({ project_id: view.id })).live).toBe(false);
    await after.close();
  }, 60_000);
});
