import type { ApiEvent, ApiMethod, ConnectionState, GoldloopClient } from '../../../electron/contract/api.ts';
import { createClient } from '../../../electron/contract/client.ts';
import { ApiError, asErrorBody } from '../../../electron/contract/errors.ts';

const MAX_RETRY_MS = 5_000;

/**
 * The contract over `goldloop serve`: requests are `POST /api/<method>` with the named arguments
 * as JSON; events arrive on the WebSocket `/api/events` (as JSON arrays). The token travels in
 * the HttpOnly cookie the server set on the first visit, so this code never sees it.
 */
export function createHttpClient(): GoldloopClient {
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
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

  /** The event WebSocket, opened again after a growing delay whenever it drops, until it is stopped. */
  function open(deliver: (event: ApiEvent) => void): () => void {
    let socket: WebSocket | undefined;
    let stopped = false;
    const connect = (): void => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`);
      socket = ws;
      ws.onopen = () => {
        attempts = 0;
        setState('live');
      };
      ws.onmessage = (message) => {
        for (const event of JSON.parse(String(message.data)) as ApiEvent[]) deliver(event);
      };
      ws.onclose = () => {
        if (socket !== ws) return;
        socket = undefined;
        setState('offline');
        // A refused upgrade looks like any other close; one request tells a dead server from a wrong token.
        void call('listProjects', {}).catch(() => undefined);
        const delay = Math.min(MAX_RETRY_MS, 250 * 2 ** attempts++);
        setTimeout(() => {
          if (state !== 'unauthorized' && !stopped) connect();
        }, delay);
      };
    };
    connect();
    return () => {
      stopped = true;
      const ws = socket;
      socket = undefined;
      ws?.close();
    };
  }

  return createClient({
    call,
    open,
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
  });
}
