/**
 * An in-memory Goldloop client for component tests: the components reach it the way they reach
 * the desktop app's preload bridge (`window.goldloop`), so the real `lib/api.ts` path runs. Each
 * method answers from a handler a test may replace; every call is recorded; `emit` pushes events.
 */
import {
  API_METHODS,
  type ApiArgs,
  type ApiEvent,
  type ApiMethod,
  type ApiResults,
  type ConnectionState,
  type GoldloopClient,
  type ProjectStatus,
  type ProjectView,
} from '../../../electron/contract/api.ts';
import type { ApiErrorBody } from '../../../electron/contract/errors.ts';

type Handler<M extends ApiMethod> = (args: ApiArgs[M]) => ApiResults[M] | Promise<ApiResults[M]>;

export class FakeClient {
  calls: { method: ApiMethod; args: unknown }[] = [];
  private handlers: Partial<{ [M in ApiMethod]: Handler<M> }> = {};
  private listeners = new Set<(event: ApiEvent) => void>();
  private connection = new Set<(state: ConnectionState) => void>();

  /** The object the preload would expose: one async function per contract method. */
  readonly bridge: GoldloopClient;

  constructor() {
    const bridge: Record<string, unknown> = {
      subscribe: (listener: (event: ApiEvent) => void) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      onConnection: (listener: (state: ConnectionState) => void) => {
        this.connection.add(listener);
        return () => this.connection.delete(listener);
      },
    };
    for (const method of API_METHODS) {
      bridge[method] = async (args: unknown) => {
        this.calls.push({ method, args });
        const handler = this.handlers[method] as ((a: unknown) => unknown) | undefined;
        // The preload rejects with `{ error: body }` (the context bridge keeps no Error class).
        if (!handler) throw { error: { code: 'internal', message: `the test gave no answer for ${method}` } satisfies ApiErrorBody };
        return handler(args);
      };
    }
    this.bridge = bridge as unknown as GoldloopClient;
  }

  on<M extends ApiMethod>(method: M, handler: Handler<M>): this {
    (this.handlers as Record<string, unknown>)[method] = handler;
    return this;
  }

  /** Makes `method` refuse with an engine error body, as the preload delivers it. */
  refuse(method: ApiMethod, body: ApiErrorBody): this {
    (this.handlers as Record<string, unknown>)[method] = () => Promise.reject({ error: body });
    return this;
  }

  emit(event: ApiEvent): void {
    for (const l of this.listeners) l(event);
  }

  setConnection(state: ConnectionState): void {
    for (const l of this.connection) l(state);
  }

  callsOf(method: ApiMethod): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  reset(): void {
    this.calls = [];
    this.handlers = {};
  }
}

/** The one client the setup file installs as `window.goldloop` before any component loads. */
export const fake = new FakeClient();

export function status(over: Partial<ProjectStatus> = {}): ProjectStatus {
  return {
    project: '/work/shop',
    name: 'shop',
    state: 'idle',
    live: false,
    iteration: 0,
    cycles_completed: 0,
    tasks_completed: 0,
    cycles_today: 0,
    limits: { per_day: 100, per_hour: 3, per_run: 1000, cycle_minutes: 15, break_minutes: 5 },
    run_iterations: 0,
    consecutive_errors: 0,
    gold: false,
    waived: [],
    checklist: [
      {
        id: 'tests',
        label: 'All tests passing',
        passed: false,
        value: '4/6',
        threshold: 'all',
        evidence: { command: ['npm', 'test'], exit_code: 1, duration_ms: 1200, detail: '2 failing: parses dates; slugify' },
      },
      {
        id: 'coverage',
        label: 'Test coverage >= 80%',
        passed: true,
        value: 91.5,
        threshold: 80,
        evidence: { report: 'coverage/lcov.info', detail: 'lines 91.5%' },
      },
      {
        id: 'security',
        label: 'Security scan passing',
        passed: true,
        value: 0,
        threshold: 0,
        disabled: true,
        evidence: { detail: 'switched off by the user' },
      },
    ],
    phases: [
      { phase: 1, name: 'Core Features', done: 2, total: 4 },
      { phase: 2, name: 'Advanced Features', done: 0, total: 2 },
    ],
    tasks: [],
    task_groups: [],
    sandbox: { kind: 'bubblewrap', version: '0.8.0' },
    ...over,
  };
}

export function project(over: Partial<ProjectView> = {}, statusOver: Partial<ProjectStatus> = {}): ProjectView {
  return {
    id: 'shop',
    path: '/work/shop',
    name: 'shop',
    added_at: '2026-11-24T10:00:00Z',
    driven: false,
    measuring: false,
    status: status(statusOver),
    ...over,
  };
}
