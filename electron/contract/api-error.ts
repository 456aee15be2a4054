import { HTTP_STATUS } from './api.ts';
import type { ApiErrorBody } from './errors.ts';

/**
 * A request the engine refuses, with the field and the fix; never a crash. Thrown wherever the
 * refusal is decided (the supervisor, the settings, the planning), and sent as it is by both
 * transports: HTTP with `httpStatus`, IPC with `body`.
 */
export class ApiError extends Error {
  readonly body: ApiErrorBody;
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.body = body;
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.body.code];
  }
}

/** Throws an ApiError with the code, message, and (when given) the fix and the field. */
export const fail = (code: ApiErrorBody['code'], message: string, fix?: string, field?: string): never => {
  throw new ApiError({ code, message, ...(field ? { field } : {}), ...(fix ? { fix } : {}) });
};
