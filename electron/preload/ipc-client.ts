/**
 * The API contract over IPC, as the preload exposes it to the dashboard. No Electron import: the
 * preload hands in `invoke` and `on` (ipcRenderer's), so this runs in tests with a fake bridge.
 *
 * A refused call rejects with `{ name, message, error: body }`, a plain object: Electron's context
 * bridge copies an Error's message only, while a plain object crosses whole, so the renderer's
 * `fromBridge` can rebuild the ApiError with its code, field and fix.
 */
import type { ApiEvent, ApiMethod, ConnectionState, GoldloopApi, GoldloopClient } from '../contract/api.ts';
import { API_CHANNELS, EVENT_CHANNEL, IPC_METHODS, SNAPSHOT_CHANNEL, type IpcReply } from '../contract/ipc.ts';

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

/** One method per channel, plus `subscribe` (snapshot first, then every event) and `onConnection`. */
export function createIpcClient(ipc: IpcRendererLike): GoldloopClient {
  const listeners = new Set<(event: ApiEvent) => void>();
  let off: (() => void) | undefined;

  const deliver = (event: ApiEvent): void => {
    for (const l of listeners) l(event);
  };

  const start = (): void => {
    // Subscribe before asking for the snapshot, so nothing between the two is lost; events that
    // arrive meanwhile follow it.
    let ready = false;
    const early: ApiEvent[] = [];
    off = ipc.on(EVENT_CHANNEL, (payload) => (ready ? deliver(payload as ApiEvent) : early.push(payload as ApiEvent)));
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
  };

  const api = Object.fromEntries(
    IPC_METHODS.map((m: ApiMethod) => [m, async (args: unknown) => unwrap(await ipc.invoke(API_CHANNELS[m], args ?? {}))]),
  ) as unknown as GoldloopApi;
  return {
    ...api,
    subscribe(listener) {
      listeners.add(listener);
      if (!off) start();
      return () => {
        listeners.delete(listener);
        if (!listeners.size && off) {
          off();
          off = undefined;
        }
      };
    },
    // IPC to the app's own main process has no connection to lose: while the page exists, it is live.
    onConnection(listener: (state: ConnectionState) => void) {
      listener('live');
      return () => {};
    },
  };
}
