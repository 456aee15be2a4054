/**
 * Errors on the wire, without zod, so the renderer can use them at run time and its bundle stays
 * small.
 */

/** What went wrong: `code` picks the HTTP status, `field` and `fix` tell the user what to change. */
export interface ApiErrorBody {
  code: 'bad_request' | 'not_found' | 'conflict' | 'needs_git' | 'needs_kb' | 'unauthorized' | 'internal';
  message: string;
  field?: string;
  fix?: string;
  /** Every problem found, when there are several (the first is `field` and `fix`): a form marks each field at once. */
  issues?: { field: string; fix: string }[];
}

/** The error every transport rejects with, carrying the engine's `ApiErrorBody`. */
export class ApiCallError extends Error {
  readonly body: ApiErrorBody;
  constructor(body: ApiErrorBody) {
    super(body.field ? `${body.field}: ${body.message}` : body.message);
    this.name = 'ApiCallError';
    this.body = body;
  }
}

/** Reads an unknown JSON value as an error body, or undefined when it is not one. */
export function asErrorBody(value: unknown): ApiErrorBody | undefined {
  const e = (value as { error?: unknown } | null)?.error as Partial<ApiErrorBody> | undefined;
  return e && typeof e.code === 'string' && typeof e.message === 'string' ? (e as ApiErrorBody) : undefined;
}
