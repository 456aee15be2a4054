import type { ApiEvent, ApiMethod, ConnectionState, GoldloopApi, GoldloopClient } from '../../../electron/contract/api.ts';
import { ApiError, asErrorBody } from '../../../electron/contract/errors.ts';
// The one list of the contract's methods (plain data, no zod), shared with the preload bridge.
import { IPC_METHODS } from '../../../electron/contract/ipc.ts';

const MAX_RETRY_MS = 5_000;

/**
 * The contract over `goldloop serve`: requests are `POST /api/<method>` with the named arguments
 * as JSON; events arrive on the WebSocket `/api/events` (as JSON arrays). The token travels in
 * the HttpOnly cookie the server set on the first visit, so this code never sees it.
 */
export function createHttpClient(): GoldloopClient {
  const listeners = new Set<(event: ApiEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | undefined;
  let attempts = 0;

  const setState = (next: ConnectionState): void => {
    state = next;
    for (const l of connectionListeners) l(next);
  };

  async function call(method: ApiMethod, args: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(args ?? {}),
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError({ code: 'internal', message: 'the Goldloop server cannot be reached', fix: 'is `goldloop serve` still running?' });
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      if (res.status === 401) setState('unauthorized');
      throw new ApiError(asErrorBody(body) ?? { code: 'internal', message: `the server answered ${res.status}` });
    }
    return (body as { result: unknown }).result;
  }

  function connect(): void {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`);
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      setState('live');
    };
    ws.onmessage = (message) => {
      const batch = JSON.parse(String(message.data)) as ApiEvent[];
      for (const event of batch) for (const l of listeners) l(event);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      setState('offline');
      // A refused upgrade looks like any other close; one request tells a dead server from a wrong token.
      void call('listProjects', {}).catch(() => undefined);
      const delay = Math.min(MAX_RETRY_MS, 250 * 2 ** attempts++);
      setTimeout(() => {
        if (state !== 'unauthorized' && listeners.size) connect();
      }, delay);
    };
  }

  const api = Object.fromEntries(IPC_METHODS.map((m) => [m, (args: unknown) => call(m, args)])) as unknown as GoldloopApi;
  return {
    ...api,
    subscribe(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => {
        listeners.delete(listener);
        if (!listeners.size && socket) {
          const ws = socket;
          socket = undefined;
          ws.close();
        }
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
  };
}
