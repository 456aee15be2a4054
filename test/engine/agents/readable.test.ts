import { describe, expect, test } from 'vitest';
import { claudeCodeAdapter } from '../../../electron/engine/agents/claude-code.ts';
import { readableLines, toolLine } from '../../../electron/engine/agents/readable.ts';
import { replay, streamLines } from './replay.ts';

const PROJECT = '/var/tmp/probe-7IncW3';

describe("the agent's work as a person reads it", () => {
  test('a tool call in one line: the file inside the project, relative; a command after $', () => {
    expect(toolLine('Edit', { file_path: `${PROJECT}/src/textkit.js`, old_string: 'a', new_string: 'b' }, PROJECT)).toBe(
      'Edit src/textkit.js',
    );
    expect(toolLine('read_file', { file_path: 'src/textkit.js' }, PROJECT)).toBe('read_file src/textkit.js');
    expect(toolLine('Read', { file_path: '/etc/hosts' }, PROJECT)).toBe('Read /etc/hosts');
    expect(toolLine('shell', { command: "/bin/bash -lc 'cat src/textkit.js'" }, PROJECT)).toBe("$ /bin/bash -lc 'cat src/textkit.js'");
    expect(toolLine('apply_patch', { changes: [{ path: `${PROJECT}/src/a.js` }, { path: `${PROJECT}/b.js` }] }, PROJECT)).toBe(
      'apply_patch src/a.js, b.js',
    );
    expect(toolLine('TodoWrite', { todos: [] }, PROJECT)).toBe('TodoWrite');
    expect(toolLine('Bash', { command: 'x'.repeat(500) }, PROJECT)).toHaveLength(240);
  });

  test('a refused edit, recorded live from Claude Code: text, calls, the refusal, never JSON', () => {
    const lines = replay(claudeCodeAdapter, streamLines('claude-code', 'edit-refused.jsonl')).flatMap((e) => readableLines(e, PROJECT));
    expect(lines[0]).toBe('I will read the source first.');
    expect(lines).toContain('Read src/textkit.js');
    expect(lines).toContain('Edit src/textkit.js');
    expect(lines.some((l) => l.startsWith('  failed: Claude requested permissions to write to'))).toBe(true);
    expect(lines.some((l) => l.startsWith('Claude Code was not allowed to edit the project'))).toBe(true);
    expect(lines.some((l) => l.trimStart().startsWith('{'))).toBe(false);
  });

  test("plain lines (stderr, a command agent's output) are shown as they are; unknown JSON lines and usage are not", () => {
    expect(readableLines({ type: 'raw', stream: 'stderr', line: 'warning: low disk' }, PROJECT)).toEqual(['warning: low disk']);
    expect(readableLines({ type: 'raw', stream: 'stdout', line: '{"type":"new_kind"}' }, PROJECT)).toEqual([]);
    expect(readableLines({ type: 'usage', inputTokens: 3 }, PROJECT)).toEqual([]);
    expect(readableLines({ type: 'file_change', path: `${PROJECT}/src/new.js`, kind: 'add' }, PROJECT)).toEqual(['  added src/new.js']);
    expect(readableLines({ type: 'limit', message: 'usage limit reached', resetAt: Date.UTC(2026, 11, 2) }, PROJECT)).toEqual([
      'limit: usage limit reached (resets 2026-12-02T00:00:00.000Z)',
    ]);
  });
});
