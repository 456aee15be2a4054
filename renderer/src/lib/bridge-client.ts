import type { GoldloopClient } from '../../../electron/contract/api.ts';
import { ApiError, asErrorBody } from '../../../electron/contract/errors.ts';

/**
 * The preload's client as the components expect it: a refused call rejects with ApiError.
 * The context bridge copies only an Error's message, so the preload rejects with a plain
 * `{ error: body }` object, and the error class is rebuilt here, on this side of the bridge.
 */
export function fromBridge(bridge: GoldloopClient): GoldloopClient {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(bridge)) {
    if (typeof value !== 'function') continue;
    if (name === 'subscribe' || name === 'onConnection') {
      wrapped[name] = value;
      continue;
    }
    wrapped[name] = async (args: unknown) => {
      try {
        return await (value as (a: unknown) => Promise<unknown>)(args);
      } catch (error) {
        const body = asErrorBody(error);
        throw body ? new ApiError(body) : error;
      }
    };
  }
  return wrapped as unknown as GoldloopClient;
}
