import type { GoldloopClient } from '../../../electron/contract/api.ts';
import { fromBridge } from './bridge-client.ts';
import { createHttpClient } from './http-client.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where `goldloop serve` is the transport. */
    goldloop?: GoldloopClient;
  }
}

/** The one API the components use; they never know which transport carries it. */
export const api: GoldloopClient = window.goldloop ? fromBridge(window.goldloop) : createHttpClient();
