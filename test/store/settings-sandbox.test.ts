import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { kbPath, loadKb } from '../../electron/store/kb/kb-file.ts';
import { readSettings, writeSettings } from '../../electron/store/settings/index.ts';
import { parseArgs } from '../../electron/server/requests.ts';
import { toDraft, toPatch } from '../../renderer/src/lib/settings-form.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

async function project(): Promise<string> {
  const dir = await temps.make('goldloop-settings-sandbox-');
  await writeFile(kbPath(dir), `${JSON.stringify({ agent: { type: 'claude-code' } }, null, 2)}\n`);
  return dir;
}

describe('the agent.sandbox setting', () => {
  it('is auto when left out, and the KB keeps it left out', async () => {
    const dir = await project();
    expect((await loadKb(dir)).agent?.sandbox).toBeUndefined();
    expect((await readSettings(dir)).agent).toEqual({ type: 'claude-code' });
    expect(toDraft(await readSettings(dir)).agent.sandbox).toBe('auto');
  });

  it('is turned off by the user, and on again by removing it', async () => {
    const dir = await project();
    const settings = await readSettings(dir);
    const draft = toDraft(settings);
    draft.agent.sandbox = 'off';
    const { patch } = toPatch(settings, draft);
    expect(patch).toEqual({ agent: { sandbox: 'off' } });
    expect((await writeSettings(dir, patch)).agent).toEqual({ type: 'claude-code', sandbox: 'off' });
    expect(JSON.parse(await readFile(kbPath(dir), 'utf8')).agent).toEqual({ type: 'claude-code', sandbox: 'off' });

    const off = await readSettings(dir);
    const back = toDraft(off);
    back.agent.sandbox = 'auto';
    expect(toPatch(off, back).patch).toEqual({ agent: { sandbox: null } });
    await writeSettings(dir, { agent: { sandbox: null } });
    expect(JSON.parse(await readFile(kbPath(dir), 'utf8')).agent).toEqual({ type: 'claude-code' });
  });

  it('refuses any other value, naming the field and the choices', () => {
    const r = parseArgs('updateSettings', { project_id: 'abc123', settings: { agent: { sandbox: 'maybe' } } });
    expect(r.ok || [r.error.field, r.error.fix]).toEqual(['settings.agent.sandbox', 'use one of "auto", "off"']);
  });
});
