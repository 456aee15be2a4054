import { describe, expect, it } from 'vitest';
import { clip, jsonForTerminal, terminalSafe, terminalSafeDeep } from '../../electron/platform/terminal-text.ts';

const ESC = '\u001b';

describe('text from outside, for a terminal', () => {
  it.each([
    ['OSC 0 (window title)', `${ESC}]0;pwned\u0007after`, 'after'],
    ['OSC 8 (hyperlink)', `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`, 'click'],
    ['OSC 52 (clipboard)', `a${ESC}]52;c;Y3VybCBldmlsIHwgc2g=\u0007b`, 'ab'],
    ['cursor position report', `x${ESC}[6ny`, 'xy'],
    ['title report', `x${ESC}[21ty`, 'xy'],
    ['colours from the agent', `${ESC}[31mred${ESC}[0m`, 'red'],
    ['C1 CSI', 'a\u009b6nb', 'ab'],
    ['DCS', `a${ESC}Pq#0;2;0;0;0${ESC}\\b`, 'ab'],
    ['an unterminated OSC', `a${ESC}]0;title`, 'a'],
    ['a lone ESC', `a${ESC}b`, 'a'],
  ])('removes %s', (_name, input, output) => {
    expect(terminalSafe(input)).toBe(output);
    // eslint-disable-next-line no-control-regex
    expect(terminalSafe(input)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('shows other controls instead of obeying them, and keeps tabs and newlines', () => {
    expect(terminalSafe('a\u0000b\rc\u0007d\u007f')).toBe('a\u2400b\u240dc\u2407d\u2421');
    expect(terminalSafe('col1\tcol2\nline 2')).toBe('col1\tcol2\nline 2');
  });

  it('names bidi overrides and isolates instead of letting them reorder the line', () => {
    expect(terminalSafe('user\u202eexe.txt')).toBe('user<U+202E>exe.txt');
    expect(terminalSafe('\u2066x\u2069')).toBe('<U+2066>x<U+2069>');
  });

  it('cleans every string of a value, and leaves the value itself as it was', () => {
    const value = { name: `x${ESC}]0;t\u0007`, tasks: [{ description: `d${ESC}[6n` }], n: 3 };
    expect(terminalSafeDeep(value)).toEqual({ name: 'x', tasks: [{ description: 'd' }], n: 3 });
    expect(value.name).toContain(ESC);
  });

  it('escapes bidi controls in JSON, which still parses to the same value', () => {
    const json = jsonForTerminal({ name: 'a\u202eb' });
    expect(json).not.toContain('\u202e');
    expect(JSON.parse(json)).toEqual({ name: 'a\u202eb' });
  });

  it('clips a long text to its head and tail, saying how much was cut', () => {
    const long = `${'a'.repeat(5000)}${'z'.repeat(5000)}`;
    const c = clip(long, 200);
    expect(c.length).toBeLessThanOrEqual(240);
    expect(c).toMatch(/^a+ … \(\d+ characters cut\) … z+$/);
    expect(clip('short', 200)).toBe('short');
  });
});
