import { describe, expect, it } from 'vitest';
import { forwardEvents, registerApiHandlers, type IpcMainLike } from '../../electron/main/ipc.ts';
import { dashboardUrl, isTrustedSender, type SenderInfo } from '../../electron/main/security.ts';
import { createIpcClient, type IpcRendererLike } from '../../electron/preload/ipc-client.ts';
import { API_METHODS, type ApiEvent, type GoldloopClient } from '../../electron/contract/api.ts';
import { ApiError } from '../../electron/contract/errors.ts';
import { API_CHANNELS, EVENT_CHANNEL } from '../../electron/contract/ipc.ts';
import { fromBridge } from '../../renderer/src/lib/bridge-client.ts';
import { demoAgent, waitFor } from '../helpers/project.ts';
import { useSupervisors } from '../helpers/supervisors.ts';

/**
 * The whole IPC path without Electron: the real handlers over a real Supervisor, the preload's
 * client, and the renderer's `fromBridge`. What stands in for Electron is small and honest: a
 * channel table, and structuredClone wherever Electron serializes (IPC payloads, the context
 * bridge's copy of a rejection — which keeps an Error's message only).
 */
function fakeElectron(dashboard: object) {
  const handlers = new Map<string, (event: SenderInfo, ...args: unknown[]) => Promise<unknown>>();
  const eventListeners = new Set<(payload: unknown) => void>();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const webContents = {
    send: (channel: string, event: ApiEvent) => channel === EVENT_CHANNEL && eventListeners.forEach((l) => l(structuredClone(event))),
  };
  const renderer = (sender: object, url: string): IpcRendererLike => ({
    async invoke(channel, ...args) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await handler({ sender, senderFrame: { url } }, ...structuredClone(args)));
    },
    on(channel, listener) {
      if (channel !== EVENT_CHANNEL) throw new Error(channel);
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
  });
  /** The dashboard's `api`: preload client -> context bridge (rejections cloned) -> fromBridge. */
  const client = (sender: object = dashboard, url = dashboardUrl()): GoldloopClient => {
    const inner = createIpcClient(renderer(sender, url));
    const bridged = Object.fromEntries(
      Object.entries(inner).map(([name, fn]) => [
        name,
        (...args: unknown[]) => {
          const out = (fn as (...a: unknown[]) => unknown)(...args);
          return out instanceof Promise ? out.catch((e: unknown) => Promise.reject(structuredClone(e))) : out;
        },
      ]),
    ) as unknown as GoldloopClient;
    return fromBridge(bridged);
  };
  return { ipcMain, handlers, webContents, client, renderer };
}

const { temp, supervisor: openTestSupervisor } = useSupervisors();
async function setup() {
  const supervisor = await openTestSupervisor({ agentFor: async () => demoAgent(), overrides: { breakMs: 60_000 } });
  const dashboard = { id: 1 };
  const electron = fakeElectron(dashboard);
  const remove = registerApiHandlers(electron.ipcMain, supervisor, (event) => isTrustedSender(event, dashboard));
  forwardEvents(
    (l) => supervisor.on(l),
    () => electron.webContents,
  );
  return { supervisor, dashboard, electron, remove };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('IPC transport', () => {
  it('registers one channel per API method, and removes them all', async () => {
    const { electron, remove } = await setup();
    expect(API_METHODS.every((m) => electron.handlers.has(API_CHANNELS[m]))).toBe(true);
    expect(electron.handlers.size).toBe(API_METHODS.length + 1);
    remove();
    expect(electron.handlers.size).toBe(0);
  });

  it('serves the dashboard: add, start and pause a project', async () => {
    const { electron } = await setup();
    const api = electron.client();
    expect(await api.listProjects({})).toEqual([]);
    const { project } = await api.addProject({ path: await temp.demo() });
    const started = await api.start({ project_id: project.id });
    expect(started.project.driven).toBe(true);
    const paused = await api.pause({ project_id: project.id });
    expect(paused.project.driven).toBe(false);
    expect(paused.project.status?.state).toBe('paused');
  });

  it('refuses bad arguments with the field and the fix, as ApiError across the bridge', async () => {
    const { electron } = await setup();
    const e = await refusal(electron.client().start({ project_id: 'Not An Id' }));
    expect(e.body).toMatchObject({ code: 'bad_request', field: 'project_id', fix: expect.stringContaining('listProjects') });
  });

  it('refuses unknown fields and a relative path before the supervisor acts', async () => {
    const { electron, supervisor } = await setup();
    const api = electron.client();
    expect((await refusal(api.addProject({ path: 'code/project' }))).body).toMatchObject({ code: 'bad_request', field: 'path' });
    expect((await refusal(api.listProjects({ extra: 1 } as never))).body.fix).toContain('remove extra');
    expect(await supervisor.api.listProjects({})).toEqual([]);
  });

  it("passes the supervisor's own refusals through whole", async () => {
    const { electron } = await setup();
    const e = await refusal(electron.client().getStatus({ project_id: 'abc123' }));
    expect(e.body).toMatchObject({ code: 'not_found', field: 'project_id' });
  });

  it('carries the settings: read, changed, and a bad value refused with its field across the bridge', async () => {
    const { electron } = await setup();
    const api = electron.client();
    const { project } = await api.addProject({ path: await temp.demo() });
    expect((await api.getSettings({ project_id: project.id })).settings.schedule.max_cycles_per_hour).toBe(60);
    const saved = await api.updateSettings({ project_id: project.id, settings: { schedule: { max_cycles_per_hour: 4 } } });
    expect(saved).toMatchObject({ applied: 'now', settings: { schedule: { max_cycles_per_hour: 4 } } });
    const e = await refusal(
      api.updateSettings({ project_id: project.id, settings: { schedule: { max_cycles_per_hour: 0, retry_delay_minutes: -1 } } }),
    );
    expect(e.body).toMatchObject({
      code: 'bad_request',
      field: 'settings.schedule.max_cycles_per_hour',
      fix: 'use a number of at least 1',
    });
    expect(e.body.issues?.map((i) => i.field)).toEqual(['settings.schedule.max_cycles_per_hour', 'settings.schedule.retry_delay_minutes']);
  });

  it('refuses a call from another window, and does nothing', async () => {
    const { electron, supervisor } = await setup();
    const dir = await temp.demo();
    const e = await refusal(electron.client({ id: 2 }).addProject({ path: dir }));
    expect(e.body.code).toBe('unauthorized');
    expect(await supervisor.api.listProjects({})).toEqual([]);
  });

  it('refuses a call from the dashboard window when it shows another origin', async () => {
    const { electron, dashboard } = await setup();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html']) {
      expect((await refusal(electron.client(dashboard, url).listProjects({}))).body.code).toBe('unauthorized');
    }
  });

  it('refuses more than one argument object', async () => {
    const { electron, dashboard } = await setup();
    const reply = await electron.renderer(dashboard, dashboardUrl()).invoke(API_CHANNELS.listProjects, {}, {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('gives a subscriber the snapshot first, then the pushed events', async () => {
    const { electron } = await setup();
    const api = electron.client();
    const { project } = await api.addProject({ path: await temp.demo() });
    const events: ApiEvent[] = [];
    const off = api.subscribe((e) => events.push(e));
    await waitFor(() => events.length > 0 || undefined, 5_000, 'the snapshot');
    expect(events[0]).toMatchObject({ type: 'snapshot', projects: [{ id: project.id }] });
    await api.start({ project_id: project.id });
    await waitFor(() => events.some((e) => e.type === 'state') || undefined, 10_000, 'a state event');
    await api.pause({ project_id: project.id });
    off();
    const count = events.length;
    await api.listProjects({});
    expect(events.length).toBe(count);
  });

  it('reports a live connection at once', async () => {
    const { electron } = await setup();
    const states: string[] = [];
    electron.client().onConnection((s) => states.push(s));
    expect(states).toEqual(['live']);
  });
});
