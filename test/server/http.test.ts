import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HostRefusedError } from '../../electron/server/http/auth.ts';
import { startServer, type RunningServer } from '../../electron/server/http/server.ts';
import { openSupervisor, type Supervisor } from '../../electron/server/supervisor.ts';
import type { ApiEvent } from '../../electron/contract/api.ts';
import { TempDirs, waitFor } from '../helpers/project.ts';

const BIN = fileURLToPath(new URL('../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
let server: RunningServer;
let supervisor: Supervisor;
let base: string;

beforeAll(async () => {
  // A secret next to the dashboard folder: traversal out of it must not reach it.
  const root = await temp.make('goldloop-web-');
  const web = join(root, 'web');
  await mkdir(web);
  await writeFile(join(root, 'secret.txt'), 'SECRET');
  await writeFile(join(web, 'index.html'), '<!doctype html><title>Goldloop</title><script type="module" src="/assets/app.js"></script>');
  supervisor = await openSupervisor({ configDir: await temp.make('goldloop-config-'), statusDelayMs: 20 });
  server = await startServer({ supervisor, port: 0, staticDir: web });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  await supervisor.close();
  await temp.cleanup();
});

const auth = (): Record<string, string> => ({ Authorization: `Bearer ${server.token}` });
const post = (method: string, body: unknown, headers: Record<string, string> = auth()): Promise<Response> =>
  fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

interface Body {
  result?: { project: { id: string } };
  error: { code: string; message: string; field?: string; fix?: string };
}
const json = async (res: Response): Promise<Body> => (await res.json()) as Body;

/** A raw GET with any Host header and any request target (fetch will send neither as given). */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, ...(res.headers.location ? { location: res.headers.location } : {}) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the event stream; resolves with the socket and the events it receives. */
function events(headers: Record<string, string> = auth()): Promise<{ ws: WebSocket; got: ApiEvent[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers });
    const got: ApiEvent[] = [];
    ws.on('message', (data) => got.push(...(JSON.parse(String(data)) as ApiEvent[])));
    ws.on('open', () => resolve({ ws, got }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

describe('goldloop serve: the token', () => {
  it('prints a URL on 127.0.0.1 carrying a 32-character random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('answers 401 to the page, an asset and the API without the right token', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(401);
    const api = await post('listProjects', {}, { Authorization: 'Bearer nope' });
    expect(api.status).toBe(401);
    expect((await json(api)).error.code).toBe('unauthorized');
  });

  it('trades the token in the URL for an HttpOnly SameSite cookie and takes it out of the address', async () => {
    const first = await fetch(server.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await fetch(`${base}/`, { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Goldloop</title>');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('refuses the event WebSocket without the token', async () => {
    await expect(events({})).rejects.toThrow('HTTP 401');
    await expect(events({ Authorization: 'Bearer wrong' })).rejects.toThrow('HTTP 401');
  });

  it('refuses a Host other than its own (DNS rebinding) and a page from another origin', async () => {
    const rebound = await rawGet('/', { Host: `evil.example:${server.port}`, ...auth() });
    expect(rebound.status).toBe(403);
    const cross = await post('listProjects', {}, { ...auth(), Origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
  });

  it('never serves files outside the dashboard folder', async () => {
    for (const path of ['/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/../secret.txt']) {
      const res = await rawGet(path, auth());
      expect(res.body).not.toContain('SECRET');
      expect(res.status).toBe(404);
    }
    expect((await rawGet('/index.html', auth())).status).toBe(200);
  });
});

describe('goldloop serve: hostile request targets', () => {
  it('redirects a token in the address only to a path on its own origin', async () => {
    for (const path of ['/.//evil.com?token=T', '/a/..//evil.com?token=T', '/%2e//evil.com/x?token=T', '/\\evil.com?token=T']) {
      const res = await rawGet(path.replace('T', server.token), {});
      expect(res.status, path).toBe(303);
      expect(res.location, path).toMatch(/^\/(?![/\\])/);
      expect(new URL(res.location!, base).origin, path).toBe(base);
    }
    const deep = await rawGet(`/project/shop?token=${server.token}&x=1`, {});
    expect(deep.location).toBe('/project/shop?x=1');
  });

  it('answers a request target it cannot parse with 400, with or without the token, and keeps serving', async () => {
    for (const path of ['http://[', 'http://[::1', '//[']) {
      expect((await rawGet(path, {})).status, path).toBe(400);
      expect((await rawGet(path, auth())).status, path).toBe(400);
    }
    const refused = await new Promise<string>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: server.port,
        path: 'http://[',
        headers: { Connection: 'Upgrade', Upgrade: 'websocket' },
      });
      req.on('upgrade', () => resolve('upgraded'));
      req.on('response', (res) => resolve(String(res.statusCode)));
      req.on('error', (e) => resolve(`closed: ${e.message}`));
      req.end();
      setTimeout(() => reject(new Error('no answer')), 10_000);
    });
    expect(refused).not.toBe('upgraded');
    expect((await rawGet('/index.html', auth())).status).toBe(200);
  });
});

describe('goldloop serve: listening', () => {
  it('refuses any host but 127.0.0.1', async () => {
    await expect(startServer({ supervisor, port: 0, host: '0.0.0.0', staticDir: '/nonexistent' })).rejects.toThrow(HostRefusedError);
    const cli = spawnSync(process.execPath, [BIN, 'serve', '--host', '0.0.0.0', '--port', '0'], { encoding: 'utf8', timeout: 30_000 });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain('127.0.0.1 only');
  });
});

describe('goldloop serve: the API', () => {
  it('answers bad arguments with 400, the field and the fix', async () => {
    const res = await post('addProject', { path: 'relative/folder' });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error).toMatchObject({ code: 'bad_request', field: 'path' });
    expect(error.fix).toContain('absolute path');
    const notJson = await post('listProjects', '{oops');
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).error.message).toContain('not valid JSON');
    const form = await fetch(`${base}/api/listProjects`, {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(400);
    expect((await post('noSuchMethod', {})).status).toBe(404);
  });

  it('pushes a snapshot on connect, events as they happen, and a fresh snapshot on reconnect', async () => {
    const first = await events();
    await waitFor(() => first.got.find((e) => e.type === 'snapshot'), 5_000, 'the first snapshot');
    const res = await post('addProject', { path: await temp.demo() });
    expect(res.status).toBe(200);
    const { result } = await json(res);
    if (!result) throw new Error('no result');
    const pushed = await waitFor(
      () => first.got.find((e) => e.type === 'snapshot' && e.projects.some((p) => p.id === result.project.id)),
      5_000,
      'the pushed snapshot',
    );
    expect(pushed.type).toBe('snapshot');
    first.ws.close();

    const again = await events();
    const snapshot = await waitFor(() => again.got.find((e) => e.type === 'snapshot'), 5_000, 'the reconnect snapshot');
    expect(snapshot.type === 'snapshot' && snapshot.projects.map((p) => p.id)).toEqual([result.project.id]);
    const gates = await post('runGatesNow', { project_id: result.project.id });
    expect(gates.status).toBe(200);
    await waitFor(() => again.got.find((e) => e.type === 'gates' && e.project_id === result.project.id), 5_000, 'the gates event');
    await waitFor(
      () => again.got.find((e) => e.type === 'status' && e.project_id === result.project.id && !e.project.measuring),
      5_000,
      'the status event',
    );
    again.ws.close();
  });
});

describe('goldloop serve: the settings', () => {
  it("reads and changes a project's settings over HTTP, and answers a bad value with 400 naming the field", async () => {
    const dir = await temp.demo();
    const added = await json(await post('addProject', { path: dir }));
    const projectId = added.result!.project.id;

    const read = await post('getSettings', { project_id: projectId });
    expect(read.status).toBe(200);
    const { result: settings } = (await read.json()) as { result: { file: string; settings: { schedule: { duration_minutes: number } } } };
    expect(settings.file).toBe(join(dir, '.ai-knowledge-base.json'));
    expect(settings.settings.schedule.duration_minutes).toBe(2);

    const changed = await post('updateSettings', {
      project_id: projectId,
      settings: { schedule: { duration_minutes: 7 }, gates: { test_coverage_threshold: 85 } },
    });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { result: { applied: string } }).result.applied).toBe('now');
    const kb = JSON.parse(await readFile(join(dir, '.ai-knowledge-base.json'), 'utf8')) as {
      autonomous_operation: { work_cycle: { duration_minutes: number }; quality_gates: { test_coverage_threshold: number } };
    };
    expect(kb.autonomous_operation.work_cycle.duration_minutes).toBe(7);
    expect(kb.autonomous_operation.quality_gates.test_coverage_threshold).toBe(85);

    const bad = await post('updateSettings', { project_id: projectId, settings: { schedule: { duration_minutes: -5 } } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toMatchObject({
      code: 'bad_request',
      field: 'settings.schedule.duration_minutes',
      fix: 'use a number above 0',
    });
    const unknown = await post('updateSettings', { project_id: projectId, settings: { schedule: {} }, force: true });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error.fix).toBe('remove force: updateSettings does not take it');
  });
});
