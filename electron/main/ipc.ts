/**
 * The IPC transport of the API contract, on the main side: one handler per channel of
 * electron/contract/ipc.ts. Each handler checks the sender, then hands the arguments to
 * `Supervisor.call`, which validates them with the shared zod schemas (server/requests.ts) before
 * it acts — the same call the HTTP server makes, so both transports give the same checks and the
 * same errors. `ipcMain` arrives injected, so this file runs (and is tested) without Electron.
 */
import { API_METHODS, type ApiEvent, type ApiMethod, type ApiResults } from '../contract/api.ts';
import type { ApiErrorBody } from '../contract/errors.ts';
import { API_CHANNELS, EVENT_CHANNEL, SNAPSHOT_CHANNEL, type IpcReply } from '../contract/ipc.ts';
import type { SenderInfo } from './security.ts';

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderInfo, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The part of the Supervisor used here: `call` validates the arguments, then runs the method. */
export interface ApiDispatcher {
  call<M extends ApiMethod>(method: M, args: unknown): Promise<ApiResults[M]>;
  snapshot(): Promise<Extract<ApiEvent, { type: 'snapshot' }>>;
}

const refused = (error: ApiErrorBody): IpcReply<never> => ({ ok: false, error });

/** An ApiError's body (the supervisor's refusals), or an internal error for anything else. */
function errorBody(error: unknown): ApiErrorBody {
  const body = (error as { body?: ApiErrorBody } | null)?.body;
  return body && typeof body.code === 'string' ? body : { code: 'internal', message: (error as Error)?.message ?? String(error) };
}

/**
 * Registers every API channel and the snapshot channel; returns the function that removes them.
 * `trusted` decides whether a message's sender is the dashboard (see `isTrustedSender`).
 */
export function registerApiHandlers(ipc: IpcMainLike, api: ApiDispatcher, trusted: (event: SenderInfo) => boolean): () => void {
  const untrusted = refused({
    code: 'unauthorized',
    message: 'this window may not call Goldloop',
    fix: 'use the Goldloop dashboard window',
  });

  for (const method of API_METHODS) {
    ipc.handle(API_CHANNELS[method], async (event, ...args) => {
      if (!trusted(event)) return untrusted;
      // One named-argument object per call, as the contract says; anything more is a caller bug.
      if (args.length > 1)
        return refused({
          code: 'bad_request',
          message: `${method}: takes one object of named arguments`,
          fix: `call ${method}({ ... }) with a single object`,
        });
      try {
        return { ok: true, result: await api.call(method, args[0]) };
      } catch (error) {
        return refused(errorBody(error));
      }
    });
  }
  ipc.handle(SNAPSHOT_CHANNEL, async (event) => {
    if (!trusted(event)) return untrusted;
    try {
      return { ok: true, result: await api.snapshot() };
    } catch (error) {
      return refused(errorBody(error));
    }
  });

  return () => {
    for (const method of API_METHODS) ipc.removeHandler(API_CHANNELS[method]);
    ipc.removeHandler(SNAPSHOT_CHANNEL);
  };
}

/** Pushes every supervisor event to the dashboard while it exists; returns the unsubscribe function. */
export function forwardEvents(
  on: (listener: (event: ApiEvent) => void) => () => void,
  target: () => { send(channel: string, event: ApiEvent): void } | undefined,
): () => void {
  return on((event) => target()?.send(EVENT_CHANNEL, event));
}
