import { describe, expect, it } from 'vitest';
import { API_METHODS, type ApiEvent, type ApiMethod, type ConnectionState } from '../../electron/contract/api.ts';
import { createClient, type ClientTransport } from '../../electron/contract/client.ts';

/** A transport in memory: it records the calls, and pushes events while its stream is open. */
class MemoryTransport implements ClientTransport {
  calls: { method: ApiMethod; args: unknown }[] = [];
  opened = 0;
  stopped = 0;
  private deliver: ((event: ApiEvent) => void) | undefined;

  async call(method: ApiMethod, args: unknown): Promise<unknown> {
    this.calls.push({ method, args });
    return { answered: method };
  }

  open(deliver: (event: ApiEvent) => void): () => void {
    this.opened += 1;
    this.deliver = deliver;
    deliver({ type: 'snapshot', projects: [], at: '2026-01-01T00:00:00.000Z' });
    return () => {
      this.stopped += 1;
      this.deliver = undefined;
    };
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    listener('connecting');
    return () => {};
  }

  push(event: ApiEvent): void {
    this.deliver?.(event);
  }
}

const alert = (message: string): ApiEvent => ({ type: 'alert', project_id: 'abc', level: 'info', message });

describe('createClient', () => {
  it('has one function per method of the contract, each sending its arguments through the transport', async () => {
    const transport = new MemoryTransport();
    const client = createClient(transport);
    for (const method of API_METHODS) expect(typeof client[method]).toBe('function');
    expect(await client.getStatus({ project_id: 'abc' })).toEqual({ answered: 'getStatus' });
    await (client.listProjects as (args?: unknown) => Promise<unknown>)();
    expect(transport.calls).toEqual([
      { method: 'getStatus', args: { project_id: 'abc' } },
      { method: 'listProjects', args: {} },
    ]);
  });

  it('opens the event stream for the first listener, gives every listener each event, and closes it after the last', () => {
    const transport = new MemoryTransport();
    const client = createClient(transport);
    const first: ApiEvent[] = [];
    const second: ApiEvent[] = [];
    const offFirst = client.subscribe((e) => first.push(e));
    const offSecond = client.subscribe((e) => second.push(e));
    expect(transport.opened).toBe(1);
    transport.push(alert('one'));
    expect(first.map((e) => e.type)).toEqual(['snapshot', 'alert']);
    expect(second.map((e) => e.type)).toEqual(['alert']);

    offFirst();
    expect(transport.stopped).toBe(0);
    transport.push(alert('two'));
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    offSecond();
    offSecond();
    expect(transport.stopped).toBe(1);

    client.subscribe(() => {});
    expect(transport.opened).toBe(2);
  });

  it("reports the transport's connection state", () => {
    const states: ConnectionState[] = [];
    createClient(new MemoryTransport()).onConnection((s) => states.push(s));
    expect(states).toEqual(['connecting']);
  });
});
