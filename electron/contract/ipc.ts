/**
 * The IPC half of the contract in api.ts: one channel per API method, plus the event push. Main
 * registers a handler per `API_CHANNELS` entry, the preload exposes one method per entry, and
 * both take their payload types from `ApiArgs` / `ApiResults`, so a method added to the contract
 * shows up here (and fails to compile where it is not handled).
 */
import { API_METHODS, type ApiArgs, type ApiEvent, type ApiMethod, type ApiResults, type ProjectView } from './api.ts';
import type { ApiErrorBody } from './errors.ts';

/** The channel of one API method: `goldloop:api:<method>`. */
export type ApiChannel<M extends ApiMethod = ApiMethod> = `goldloop:api:${M}`;

/** `method` -> its channel name. */
export const API_CHANNELS = Object.fromEntries(API_METHODS.map((m) => [m, `goldloop:api:${m}`])) as { [M in ApiMethod]: ApiChannel<M> };

/** Other channels: events pushed main -> dashboard, and the snapshot a new subscriber asks for first. */
export const EVENT_CHANNEL = 'goldloop:event';
export const SNAPSHOT_CHANNEL = 'goldloop:snapshot';

/**
 * What every invoke resolves with. Errors travel as data: an Error thrown in main reaches the
 * renderer with its message only (Electron drops other properties), and the dashboard needs the
 * body's code, field and fix.
 */
export type IpcReply<T> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

/** The payload and reply of each channel. */
export type IpcPayloads = { [M in ApiMethod]: { args: ApiArgs[M]; reply: IpcReply<ApiResults[M]> } };

/** The snapshot channel's reply: every project, as the first event a subscriber gets. */
export type SnapshotReply = IpcReply<Extract<ApiEvent, { type: 'snapshot' }>>;

export type { ProjectView };
