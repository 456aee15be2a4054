/**
 * Errors on the wire, without zod, so the renderer can use them at run time and its bundle stays
 * small. The engine throws `ApiError` where it refuses a request; both transports carry its body
 * as it is (HTTP with `httpStatus`, IPC as data), and the dashboard's clients rebuild the same class.
 */

/** What went wrong: `code` picks the HTTP status, `field` and `fix` tell the user what to change. */
export interface ApiErrorBody {
  code: 'bad_request' | 'not_found' | 'conflict' | 'needs_git' | 'needs_kb' | 'preflight_failed' | 'unauthorized' | 'internal';
  message: string;
  field?: string;
  fix?: string;
  /** Every problem found, when there are several (the first is `field` and `fix`): a form marks each field at once. */
  issues?: { field: string; fix: string }[];
}

/** Each error code's HTTP status. */
export const HTTP_STATUS: Record<ApiErrorBody['code'], number> = {
  bad_request: 400,
  needs_git: 400,
  needs_kb: 400,
  preflight_failed: 409,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  internal: 500,
};

/** A refused request, with the field and the fix; never a crash. */
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

/** Reads an unknown JSON value as an error body, or undefined when it is not one. */
export function asErrorBody(value: unknown): ApiErrorBody | undefined {
  const e = (value as { error?: unknown } | null)?.error as Partial<ApiErrorBody> | undefined;
  return e && typeof e.code === 'string' && typeof e.message === 'string' ? (e as ApiErrorBody) : undefined;
}
