import { API_METHODS, isApiMethod, type ApiEvent, type ApiMethod, type ApiResults, type GoldloopApi } from '../contract/api.ts';
import { ApiError } from '../contract/errors.ts';
import { KbError } from '../store/kb/kb-file.ts';
import { LockedError } from '../store/lock.ts';
import { parseArgs } from './requests.ts';
import { METHODS, noSuchMethod, type MethodTable } from './supervisor/methods.ts';
import { openRegistry, Registry, type RegistryStore } from './supervisor/registry.ts';
import { SupervisorState, type SupervisorOptions } from './supervisor/state.ts';

export { ApiError } from '../contract/errors.ts';
export { agentFromKb } from './supervisor/agent.ts';
export { noSuchMethod } from './supervisor/methods.ts';
export { openRegistry, projectIdFor, type RegistryStore } from './supervisor/registry.ts';
export type { SupervisorOptions } from './supervisor/state.ts';

/** Opens the registry and returns a supervisor over it. */
export async function openSupervisor(options: SupervisorOptions = {}): Promise<Supervisor> {
  return new Supervisor(await openRegistry(options.configDir, options.warn), options);
}

/** Any failure of a request as the ApiError the transports send: a refusal as it is, anything else named. */
function asApiError(method: ApiMethod, error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof KbError)
    return new ApiError({
      code: 'conflict',
      message: error.message,
      fix: 'fix .ai-knowledge-base.json as the message says, then try again',
    });
  if (error instanceof LockedError) return new ApiError({ code: 'conflict', message: error.message });
  return new ApiError({ code: 'internal', message: `${method} failed: ${(error as Error).message}` });
}

/**
 * Many projects in one process: a persisted registry of project folders, one ProjectLoop per
 * driven project, and every engine event fanned out with its project's id. Every request is
 * validated against the shared contract first (`call`), so the HTTP server and the preload
 * bridge get the same checks and the same errors. The methods themselves are in supervisor/,
 * one concern a file; `METHODS` (supervisor/methods.ts) names the implementation of each.
 */
export class Supervisor {
  private readonly state: SupervisorState;

  /** The contract, typed; each method validates its arguments like `call`. */
  readonly api: GoldloopApi;

  /** Use `openSupervisor`, which opens the conf store; a store can be given directly for other hosts. */
  constructor(store: RegistryStore, options: SupervisorOptions = {}) {
    this.state = new SupervisorState(new Registry(store), options);
    this.api = Object.fromEntries(API_METHODS.map((method) => [method, (args: unknown) => this.call(method, args)])) as GoldloopApi;
  }

  /** Where the registry is kept. */
  get configPath(): string {
    return this.state.registry.path;
  }

  /** Subscribes to pushed events of every project; returns the unsubscribe function. */
  on(listener: (event: ApiEvent) => void): () => void {
    return this.state.on(listener);
  }

  /**
   * Runs one request with unchecked arguments (from HTTP or IPC): validated, then run by its entry
   * in METHODS. Throws ApiError for bad arguments or a refused action; anything else is a bug,
   * reported as such. The transports check the method's name first (`isApiMethod`).
   */
  call<M extends ApiMethod>(method: M, args: unknown): Promise<ApiResults[M]>;
  /** A name that is not a method of the contract is refused as not_found. */
  call(method: string, args: unknown): Promise<unknown>;
  async call(method: string, args: unknown): Promise<unknown> {
    if (!isApiMethod(method)) throw new ApiError(noSuchMethod(method));
    return this.run(method, args);
  }

  private async run<M extends ApiMethod>(method: M, args: unknown): Promise<ApiResults[M]> {
    const parsed = parseArgs(method, args);
    if (!parsed.ok) throw new ApiError(parsed.error);
    const implementation: MethodTable[M] = METHODS[method];
    try {
      return await implementation(this.state, parsed.value);
    } catch (error) {
      throw asApiError(method, error);
    }
  }

  /** Every project and its status, as sent on (re)connect. */
  snapshot(): Promise<Extract<ApiEvent, { type: 'snapshot' }>> {
    return this.state.snapshot();
  }

  /** Pauses every driven project (their agents' process trees end, state is saved) and stops pushing events. */
  close(): Promise<void> {
    return this.state.close();
  }
}
