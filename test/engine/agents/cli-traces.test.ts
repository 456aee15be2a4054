import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clearSessionTraces, finishLeftSession, listFiles, recordSession } from '../../../electron/engine/agents/cli-traces.ts';
import { TempDirs } from '../../helpers/temp.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

const DRAFT = "test('REQ-001 a cart sums its items', () => {\n  assert.equal(sum([2, 3]), 5);\n});\n";

describe("what a drafting session leaves in its CLI's own folders", () => {
  it('removes the files it created, keeps the ones it did not touch, and names a changed one that holds a draft line', async () => {
    const home = await temp.make();
    await mkdir(join(home, 'sessions'));
    await writeFile(join(home, 'auth.json'), '{"token":"x"}');
    await writeFile(join(home, 'history.jsonl'), '{"prompt":"earlier"}\n');
    await writeFile(join(home, 'other.db'), 'rows');
    const before = await listFiles([home]);
    await writeFile(join(home, 'sessions', 'rollout-1.jsonl'), JSON.stringify({ content: DRAFT }));
    // A transcript appended to an existing file, JSON-escaped as transcripts are.
    await writeFile(join(home, 'history.jsonl'), `{"prompt":"earlier"}\n${JSON.stringify({ tool: DRAFT })}\n`);
    await writeFile(join(home, 'other.db'), 'rows and more rows');
    const cleared = await clearSessionTraces([home], before, [DRAFT]);
    expect(cleared.removed).toEqual([join(home, 'sessions', 'rollout-1.jsonl')]);
    expect(existsSync(join(home, 'sessions', 'rollout-1.jsonl'))).toBe(false);
    expect(cleared.holding).toEqual([join(home, 'history.jsonl')]);
    expect(await readFile(join(home, 'auth.json'), 'utf8')).toBe('{"token":"x"}');
  });

  it('clears what a session left when the process running it died: its files in the project and its transcripts, not what came later', async () => {
    const project = await temp.make();
    const home = await temp.make();
    await mkdir(join(project, '.goldloop', 'plan'), { recursive: true });
    await writeFile(join(home, 'config.json'), '{}');
    const before = await listFiles([home]);
    await recordSession(project, {
      roots: [home],
      before,
      until: Date.now() + 60_000,
      projectFiles: ['.goldloop/plan/holdout-drafts.json'],
    });
    // The session ran, then the process died before it cleared anything.
    await writeFile(join(project, '.goldloop', 'plan', 'holdout-drafts.json'), JSON.stringify([{ content: DRAFT }]));
    await writeFile(join(home, 'session.jsonl'), DRAFT);
    await finishLeftSession(project);
    expect(existsSync(join(project, '.goldloop', 'plan', 'holdout-drafts.json'))).toBe(false);
    expect(existsSync(join(home, 'session.jsonl'))).toBe(false);
    expect(existsSync(join(home, 'config.json'))).toBe(true);
    // Once cleared, the record is gone: a file the CLI makes afterwards is the user's.
    await writeFile(join(home, 'later.jsonl'), 'mine');
    await finishLeftSession(project);
    expect(existsSync(join(home, 'later.jsonl'))).toBe(true);
  });
});
