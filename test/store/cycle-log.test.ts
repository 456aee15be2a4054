// The cycle log on real files: bounded, with its start and end kept and the cut said; safe to `cat`.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CycleLog, logTime } from '../../electron/store/cycle-log.ts';
import { readLog } from '../../electron/store/project-files.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

describe('CycleLog', () => {
  it('keeps everything under its limit, stderr lines marked', async () => {
    const file = join(await temps.make('goldloop-log-'), 'cycle.log');
    const log = new CycleLog(file, 10_000);
    log.write('working', 'stdout');
    log.write('a warning', 'stderr');
    await log.close();
    expect(await readFile(file, 'utf8')).toBe('working\n! a warning\n');
  });

  it('writes each line after the time it came at, a stderr mark after the time, and reads them back as fields', async () => {
    const dir = await temps.make('goldloop-log-');
    await mkdir(join(dir, '.goldloop', 'logs'), { recursive: true });
    const file = join(dir, '.goldloop', 'logs', 'cycle-000001.log');
    const log = new CycleLog(file, 10_000);
    log.write('Edit src/textkit.js', 'stdout', logTime(new Date(2026, 2, 2, 9, 5, 3).getTime()));
    log.write('a warning', 'stderr', '23:59:59');
    log.write('12:00:00 a line that starts with a time', 'stdout', '00:00:01');
    await log.close();
    expect(await readFile(file, 'utf8')).toBe(
      '09:05:03 Edit src/textkit.js\n23:59:59 ! a warning\n00:00:01 12:00:00 a line that starts with a time\n',
    );
    expect((await readLog(dir, { cycle: 1 })).lines).toEqual([
      { stream: 'stdout', text: 'Edit src/textkit.js', at: '09:05:03' },
      { stream: 'stderr', text: 'a warning', at: '23:59:59' },
      { stream: 'stdout', text: '12:00:00 a line that starts with a time', at: '00:00:01' },
    ]);
  });

  it('holds at most its limit for an agent that prints without end: the start, a line saying what is cut, the end', async () => {
    const file = join(await temps.make('goldloop-log-'), 'cycle.log');
    const limit = 10_000;
    const log = new CycleLog(file, limit);
    for (let i = 0; i < 5_000; i++) log.write(`line ${String(i).padStart(5, '0')} ${'x'.repeat(40)}`, 'stdout');
    await log.close();
    const text = await readFile(file, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect((await stat(file)).size).toBeLessThan(limit + 300);
    expect(lines[0]).toMatch(/^line 00000 /);
    expect(lines.at(-1)).toMatch(/^line 04999 /);
    const cut = lines.find((l) => l.startsWith('…'))!;
    const kept = lines.filter((l) => l.startsWith('line ')).length;
    expect(cut).toMatch(/^… (\d+) line\(s\), \d+ bytes, of the agent's output are not kept here: the cycle log holds at most 0 MB/);
    expect(Number(/^… (\d+)/.exec(cut)![1]) + kept).toBe(5_000);
  });

  it('counts what a log taken up again after a crash already holds', async () => {
    const file = join(await temps.make('goldloop-log-'), 'cycle.log');
    await writeFile(file, `${'y'.repeat(950)}\n`);
    const log = new CycleLog(file, 1_000, 951);
    for (let i = 0; i < 20; i++) log.write(`more ${i}`, 'stdout');
    await log.close();
    expect(await readFile(file, 'utf8')).toMatch(/^y+\n… \d+ line\(s\)/);
  });

  it('writes what a terminal would obey as text: no title, clipboard or cursor sequences reach a `cat` of the log', async () => {
    const file = join(await temps.make('goldloop-log-'), 'cycle.log');
    const log = new CycleLog(file, 10_000);
    log.write('\u001b]52;c;ZWNobyBoaQ==\u0007copied \u001b[6n\u001b]0;title\u0007done\r', 'stdout');
    await log.close();
    expect(await readFile(file, 'utf8')).toBe('copied done␍\n');
  });
});
