import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KB_FILE, KbError, loadKb, parseKb, saveKb } from '../../electron/store/kb/kb-file.ts';
import { KbSchema } from '../../electron/store/kb/schema.ts';
import { TempDirs } from '../helpers/temp.ts';

/** Knowledge bases a careless tool or a hostile agent could leave behind: each is refused with a message that names the file and the fix. */
const temps = new TempDirs();
afterAll(() => temps.cleanup());

async function project(): Promise<string> {
  return temps.make('goldloop-hostile-kb-');
}

async function refusal(run: () => Promise<unknown>): Promise<KbError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KbError);
  return error as KbError;
}

describe('a knowledge base that is not an ordinary file', () => {
  it('refuses a FIFO at once instead of waiting on it forever', async () => {
    const dir = await project();
    execFileSync('mkfifo', [join(dir, KB_FILE)]);
    const e = await refusal(() => loadKb(dir));
    expect(e.message).toContain(join(dir, KB_FILE));
    expect(e.problems[0]!.message).toMatch(/not a regular file \(a FIFO\)/);
  });

  it('says a folder is a folder, not a permissions problem', async () => {
    const dir = await project();
    await mkdir(join(dir, KB_FILE));
    const e = await refusal(() => loadKb(dir));
    expect(e.problems[0]!.message).toMatch(/a folder, not a file/);
    expect(e.problems[0]!.fix).not.toMatch(/permissions/);
  });

  it('refuses a link to a device before reading a byte of it', async () => {
    const dir = await project();
    await symlink('/dev/urandom', join(dir, KB_FILE));
    const e = await refusal(() => loadKb(dir));
    expect(e.problems[0]!.message).toMatch(/not a regular file \(a character device\)/);
  });

  it('never quotes the content of a file that is not JSON (a link to /etc/passwd)', async () => {
    const dir = await project();
    const outside = await temps.make('goldloop-outside-');
    await writeFile(join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\nsecret-user:x:1000:1000::/home/s:/bin/sh\n');
    await symlink(join(outside, 'passwd'), join(dir, KB_FILE));
    const e = await refusal(() => loadKb(dir));
    expect(e.message).not.toContain('root:x');
    expect(e.message).not.toContain('secret-user');
    expect(e.problems[0]!.path).toBe('line 1, column 1');
  });

  it('refuses a file over the size limit, saying the limit and how to raise it', async () => {
    const dir = await project();
    await writeFile(join(dir, KB_FILE), `{"notes":"${'x'.repeat(21 * 1024 * 1024)}"}`);
    const e = await refusal(() => loadKb(dir));
    expect(e.problems[0]!.message).toMatch(/21\.0 MB, over the limit of 20 MB/);
    expect(e.problems[0]!.fix).toContain('GOLDLOOP_KB_MAX_MB');
  });
});

describe('a knowledge base with hostile content', () => {
  it('refuses nesting past a sane depth with the JSON path where it goes too deep', () => {
    const deep = `{"extra":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const e = (() => {
      try {
        parseKb(deep, 'kb.json');
      } catch (error) {
        return error as KbError;
      }
      throw new Error('parsed');
    })();
    expect(e).toBeInstanceOf(KbError);
    expect(e.problems[0]!.message).toMatch(/nested deeper than 64 levels/);
    expect(e.problems[0]!.path).toMatch(/^\$\.extra\[0\]\[0\]/);
  });

  it('refuses a __proto__ key instead of dropping it silently on the next save', async () => {
    const dir = await project();
    const text = '{"task_queue":{"high_priority":[{"task_id":"T1","description":"d","__proto__":{"status":"done"}}]}}';
    await writeFile(join(dir, KB_FILE), text);
    const e = await refusal(() => loadKb(dir));
    expect(e.problems[0]!.path).toMatch(/^\$\.task_queue\.high_priority\[0\].*__proto__/);
    expect(e.problems[0]!.fix).toMatch(/rename/);
    expect(await readFile(join(dir, KB_FILE), 'utf8')).toBe(text);
  });

  it('reads a file saved with a UTF-8 byte-order mark, and names UTF-16 instead of a missing comma', async () => {
    const dir = await project();
    await writeFile(join(dir, KB_FILE), `\ufeff${JSON.stringify({ project: { name: 'bom' } })}`);
    expect((await loadKb(dir)).project?.name).toBe('bom');
    const utf16 = await project();
    await writeFile(join(utf16, KB_FILE), Buffer.from(`\ufeff${JSON.stringify({ project: { name: 'x' } })}`, 'utf16le'));
    const e = await refusal(() => loadKb(utf16));
    expect(e.problems[0]!.message).toMatch(/UTF-16/);
    expect(e.problems[0]!.fix).toMatch(/UTF-8/);
  });

  it('shows the first 20 problems of thousands, and how many more there are', () => {
    const phases = Array.from({ length: 5000 }, () => ({ phase: 'one' }));
    let error: KbError | undefined;
    try {
      parseKb(JSON.stringify({ phases }), 'kb.json');
    } catch (e) {
      error = e as KbError;
    }
    expect(error!.problems.length).toBeGreaterThan(1000);
    expect(error!.message.split('\n').filter((l) => l.startsWith('  $')).length).toBe(20);
    expect(error!.message).toMatch(/and \d+ more problems/);
    expect(error!.message.length).toBeLessThan(10_000);
  });

  it('says "above 0" for a number that must be positive', () => {
    let error: KbError | undefined;
    try {
      parseKb('{"autonomous_operation":{"work_cycle":{"duration_minutes":0}}}', 'kb.json');
    } catch (e) {
      error = e as KbError;
    }
    expect(error!.problems[0]!.fix).toBe('use a value above 0');
  });

  it('still saves and loads an ordinary KB', async () => {
    const dir = await project();
    await saveKb(dir, KbSchema.parse({ project: { name: 'plain' } }));
    expect((await loadKb(dir)).project?.name).toBe('plain');
  });
});
