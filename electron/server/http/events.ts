import type { WebSocket } from 'ws';
import type { ApiEvent } from '../../contract/api.ts';
import type { Supervisor } from '../supervisor.ts';

/** Events are sent in batches (a JSON array per frame): a burst of agent lines becomes one frame. */
const FLUSH_MS = 25;
/** A client this far behind is disconnected; on reconnect it gets a fresh snapshot instead of a backlog. */
const MAX_BUFFERED = 16 * 1024 * 1024;
const PING_MS = 30_000;

/**
 * Pushes the supervisor's events to one dashboard connection: a snapshot first (so a client that
 * reconnects is current at once), then every event as it happens.
 */
export function attachEventStream(ws: WebSocket, supervisor: Supervisor): void {
  let queue: ApiEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let ready = false;
  const early: ApiEvent[] = [];

  const flush = (): void => {
    timer = undefined;
    if (!queue.length || ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      ws.close(1013, 'too far behind: reconnect for a fresh snapshot');
      return;
    }
    ws.send(JSON.stringify(queue));
    queue = [];
  };
  const send = (event: ApiEvent): void => {
    queue.push(event);
    timer ??= setTimeout(flush, FLUSH_MS);
  };

  // Subscribe before taking the snapshot, so nothing between the two is lost; events that
  // arrive meanwhile go out after it.
  const off = supervisor.on((event) => (ready ? send(event) : early.push(event)));
  void supervisor.snapshot().then(
    (snapshot) => {
      send(snapshot);
      for (const event of early.splice(0)) send(event);
      ready = true;
    },
    () => ws.close(1011, 'could not build the snapshot'),
  );

  let alive = true;
  ws.on('pong', () => (alive = true));
  const ping = setInterval(() => {
    if (!alive) {
      ws.terminate();
      return;
    }
    alive = false;
    ws.ping();
  }, PING_MS);

  ws.on('close', () => {
    off();
    clearInterval(ping);
    if (timer) clearTimeout(timer);
  });
  // Messages from the dashboard are not part of the contract: requests go over POST /api.
  ws.on('message', () => {});
  ws.on('error', () => {});
}
