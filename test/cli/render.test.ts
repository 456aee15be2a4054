import { describe, expect, it } from 'vitest';
import { clock, detailLines, evidenceLines, plain, sandboxLines, stateLine } from '../../electron/cli/render.ts';

describe("a checklist line's evidence in goldloop gates", () => {
  it('shows the command as a user would type it, with its exit code and time', () => {
    const lines = evidenceLines(
      { command: ['node', '-e', "console.log('a b')", 'x{reports}/j.xml'], exit_code: 1, duration_ms: 2_345, detail: '' },
      '/p',
    );
    expect(lines).toEqual([`$ node -e 'console.log('\\''a b'\\'')' x{reports}/j.xml → exit 1 in 2.3 s`]);
  });

  it('says so when a command has no exit code, and gives long times in minutes', () => {
    expect(evidenceLines({ command: ['sleep', '600'], exit_code: null, duration_ms: 125_000, detail: '' }, '/p')).toEqual([
      '$ sleep 600 → no exit code (did not run to the end) in 2 min 5 s',
    ]);
  });

  it('names a report inside the project relative to it, and one outside in full', () => {
    expect(evidenceLines({ report: '/p/.goldloop/evidence/cycle-3/junit.xml', detail: '' }, '/p')).toEqual([
      'report: .goldloop/evidence/cycle-3/junit.xml',
    ]);
    expect(evidenceLines({ report: '/pq/junit.xml', detail: '' }, '/p')).toEqual(['report: /pq/junit.xml']);
  });

  it('is empty for a line measured without a command', () => {
    expect(evidenceLines({ detail: 'every task of every phase is done' }, '/p')).toEqual([]);
  });

  it('lists the first surviving mutants of the mutation line, one a line, with the count of the rest', () => {
    const mutants = Array.from({ length: 6 }, (_, i) => ({
      file: 'src/a.js',
      line: i + 1,
      mutator: 'EqualityOperator',
      replacement: 'a <= b',
      status: i === 0 ? ('NoCoverage' as const) : ('Survived' as const),
    }));
    const lines = evidenceLines({ detail: '', survivors: { mutants, total: 9 } }, '/p');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('not run by any test: src/a.js:1 EqualityOperator → a <= b');
    expect(lines[1]).toBe('survived: src/a.js:2 EqualityOperator → a <= b');
    expect(lines[5]).toBe('and 4 more surviving mutant(s)');
  });
});

describe('the sandbox in goldloop status', () => {
  it('names it in one line, and what it allows in sentences when asked', () => {
    const bwrap = { kind: 'bubblewrap', version: '0.8.0' } as const;
    expect(sandboxLines(bwrap, plain, false)).toEqual([
      "Sandbox: bubblewrap 0.8.0 (own PID namespace; .goldloop/ and .git's config, hooks and info read-only; home, Goldloop's folders hidden; network open)",
    ]);
    expect(sandboxLines(bwrap, plain, true)[1]).toContain(
      'it cannot see or signal Goldloop, and every process it starts ends with its cycle',
    );
    expect(sandboxLines(bwrap, plain, true)[1]).toContain("The project's commands the gates run");
    expect(sandboxLines({ kind: 'seatbelt' }, plain, true)[1]).toContain('are not sandboxed yet');
  });

  it('always says what no sandbox means, and how leftovers are ended without one', () => {
    const lines = sandboxLines({ kind: 'none', why: 'bubblewrap is not installed', leftovers: 'marker' }, plain, false);
    expect(lines[0]).toBe('Sandbox: none — bubblewrap is not installed; the agent runs as you, with all your files');
    expect(lines[1]).toContain('it can read your home and change anything you can');
    expect(lines[1]).toContain('a process that clears its environment escapes this');
    const windows = sandboxLines({ kind: 'none', why: 'Windows has no sandbox Goldloop can use yet', leftovers: 'tree' }, plain, false);
    expect(windows[1]).toContain('a process it detached can outlive the cycle');
  });
});

describe('the state line', () => {
  it('says what a running cycle waits for', () => {
    const message = 'waiting for a gate slot: 2 of 2 gate phases are running on this machine (GOLDLOOP_GATE_SLOTS sets the limit)';
    expect(stateLine({ state: 'running', step: 'quality_check', message }, plain)).toMatch(
      /^RUNNING — .+ — waiting for a gate slot: 2 of 2/,
    );
    expect(stateLine({ state: 'running', step: 'quality_check' }, plain)).not.toContain(' — waiting');
  });
});

describe('detailLines', () => {
  it("puts each line of a command's output tail on its own indented line, never joined", () => {
    expect(detailLines('exit 1: step 2 failed\nsee the log')).toEqual(['          exit 1: step 2 failed', '          see the log']);
  });
});

describe('clock', () => {
  it('shows a local time today, with its date on another day, and what it cannot read as it is', () => {
    const today = new Date();
    today.setHours(9, 5, 7, 0);
    expect(clock(today.toISOString())).toBe('09:05:07');
    const before = new Date(2025, 0, 2, 23, 4, 5);
    expect(clock(before.toISOString())).toBe('2025-01-02 23:04:05');
    expect(clock(undefined)).toBe('—');
    expect(clock('not a time')).toBe('not a time');
  });
});
