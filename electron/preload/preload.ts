/**
 * The dashboard's bridge to the app: `window.goldloop`, one method per IPC channel of
 * electron/contract/ipc.ts plus `subscribe` and `onConnection` — the same GoldloopClient interface
 * the HTTP client implements. ipcRenderer itself never reaches the page. Built as one CommonJS
 * file (sandboxed preloads cannot load modules of their own).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { GoldloopClient } from '../contract/api.ts';
import { createIpcClient } from './ipc-client.ts';

const client: GoldloopClient = createIpcClient({
  invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
  on(channel, listener) {
    // The page's listener gets the payload only, never the IpcRendererEvent (it holds `sender`).
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => ipcRenderer.removeListener(channel, handler);
  },
});

contextBridge.exposeInMainWorld('goldloop', { ...client } satisfies GoldloopClient);
