/**
 * The dashboard's client, whichever transport carries it (the preload's IPC in the desktop app,
 * HTTP and a WebSocket in `goldloop serve`): one function per method of the contract, `subscribe`,
 * and `onConnection`. The transport brings the wire; this file brings the shape both share.
 * Plain TypeScript with no Node, DOM or Electron API: it is bundled into the preload and the
 * renderer alike.
 */
import { API_METHODS, type ApiEvent, type ApiMethod, type ConnectionState, type GoldloopApi, type GoldloopClient } from './api.ts';

/** What a transport does; `createClient` makes the client from it. */
export interface ClientTransport {
  /** Sends one request with its named arguments; resolves with the result, rejects when it is refused. */
  call(method: ApiMethod, args: unknown): Promise<unknown>;
  /**
   * Starts the pushed events — a snapshot first, then every event — delivering each to `deliver`;
   * returns the function that stops them. Called when the first listener subscribes, and its stop
   * when the last one leaves.
   */
  open(deliver: (event: ApiEvent) => void): () => void;
  /** Reports the connection's state at once and on every change; returns the unsubscribe function. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/** A client over `transport`: each method of the contract sends its one argument object (`{}` when none is given). */
export function createClient(transport: ClientTransport): GoldloopClient {
  const listeners = new Set<(event: ApiEvent) => void>();
  let stop: (() => void) | undefined;

  const deliver = (event: ApiEvent): void => {
    for (const listener of listeners) listener(event);
  };

  const api = Object.fromEntries(
    API_METHODS.map((method) => [method, (args: unknown) => transport.call(method, args ?? {})]),
  ) as unknown as GoldloopApi;
  return {
    ...api,
    subscribe(listener) {
      listeners.add(listener);
      stop ??= transport.open(deliver);
      return () => {
        listeners.delete(listener);
        if (listeners.size || !stop) return;
        const stopping = stop;
        stop = undefined;
        stopping();
      };
    },
    onConnection: (listener) => transport.onConnection(listener),
  };
}
