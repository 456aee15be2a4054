/**
 * The API contract over IPC, as the preload exposes it to the dashboard. No Electron import: the
 * preload hands in `invoke` and `on` (ipcRenderer's), so this runs in tests with a fake bridge.
 *
 * A refused call rejects with `{ name, message, error: body }`, a plain object: Electron's context
 * bridge copies an Error's message only, while a plain object crosses whole, so the renderer's
 * `fromBridge` can rebuild the ApiError with its code, field and fix.
 */
import type { ApiEvent, GoldloopClient } from '../contract/api.ts';
import { createClient } from '../contract/client.ts';
import { API_CHANNELS, EVENT_CHANNEL, SNAPSHOT_CHANNEL, type IpcReply } from '../contract/ipc.ts';

/** What the preload passes in: ipcRenderer.invoke, and ipcRenderer.on wrapped to return its remover. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

/** The value a refused call rejects with. */
export interface BridgeRejection {
  name: 'ApiError';
  message: string;
  error: { code: string; message: string; field?: string; fix?: string };
}

function unwrap(reply: unknown): unknown {
  const r = reply as IpcReply<unknown> | undefined;
  if (r && r.ok === true) return r.result;
  const error = r && r.ok === false ? r.error : { code: 'internal' as const, message: 'the app sent no answer' };
  const rejection: BridgeRejection = { name: 'ApiError', message: error.message, error };
  throw rejection;
}

/** Pushed events: the snapshot first, then every event from main. */
function openEvents(ipc: IpcRendererLike, deliver: (event: ApiEvent) => void): () => void {
  // Subscribe before asking for the snapshot, so nothing between the two is lost; events that
  // arrive meanwhile follow it.
  let ready = false;
  const early: ApiEvent[] = [];
  const off = ipc.on(EVENT_CHANNEL, (payload) => (ready ? deliver(payload as ApiEvent) : early.push(payload as ApiEvent)));
  void ipc
    .invoke(SNAPSHOT_CHANNEL)
    .then((reply) => deliver(unwrap(reply) as ApiEvent))
    .catch(() => {
      // Without a snapshot the status events still arrive; the dashboard fills in as they do.
    })
    .finally(() => {
      for (const event of early.splice(0)) deliver(event);
      ready = true;
    });
  return off;
}

/** One method per channel, plus `subscribe` (snapshot first, then every event) and `onConnection`. */
export function createIpcClient(ipc: IpcRendererLike): GoldloopClient {
  return createClient({
    call: async (method, args) => unwrap(await ipc.invoke(API_CHANNELS[method], args)),
    open: (deliver) => openEvents(ipc, deliver),
    // IPC to the app's own main process has no connection to lose: while the page exists, it is live.
    onConnection(listener) {
      listener('live');
      return () => {};
    },
  });
}
