/**
 * The agent's work as a person reads it: its text, one line per tool call (`Edit src/textkit.js`,
 * `$ npm test`), the files it changed, refusals, errors and limits. What the live views and the
 * cycle's log show; the CLI's raw stream is kept apart (`stream` log). A line of the CLI's JSON
 * that no adapter turned into an event is left out; a plain line (stderr, a command agent's
 * output) is shown as it is.
 */
import { isAbsolute, relative } from 'node:path';
import { parseJsonObject } from './limits.ts';
import type { AgentEvent } from './types.ts';

/** The longest line shown for one tool call or error; the stream log has all of it. */
const MAX = 240;

const cut = (text: string): string => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX ? `${one.slice(0, MAX - 1)}…` : one;
};

/** A path as the project's own (relative), when it lies inside the project. */
export function shown(path: string, projectDir: string): string {
  if (!isAbsolute(path)) return path;
  const inside = relative(projectDir, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/** Input keys that name what a tool works on, in the order they are looked for. */
const SUBJECT_KEYS = ['file_path', 'filePath', 'notebook_path', 'path', 'absolute_path', 'pattern', 'query', 'url'];
/** Input keys that hold a shell command. */
const COMMAND_KEYS = ['command', 'cmd'];

/** `Edit src/textkit.js`, `$ npm test`, `apply_patch src/a.js, src/b.js`: a tool call in one line. */
export function toolLine(name: string, input: unknown, projectDir: string): string {
  const fields = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const command = COMMAND_KEYS.map((k) => fields[k]).find((v) => typeof v === 'string' || Array.isArray(v));
  if (command !== undefined) return cut(`$ ${Array.isArray(command) ? command.join(' ') : String(command)}`);
  const subject = SUBJECT_KEYS.map((k) => fields[k]).find((v): v is string => typeof v === 'string');
  if (subject !== undefined) return cut(`${name} ${shown(subject, projectDir)}`);
  // Codex's patches list their files.
  if (Array.isArray(fields.changes)) {
    const paths = fields.changes.map((c) => (c && typeof c === 'object' ? (c as { path?: unknown }).path : undefined));
    return cut(
      `${name} ${paths
        .filter((p): p is string => typeof p === 'string')
        .map((p) => shown(p, projectDir))
        .join(', ')}`,
    );
  }
  return name;
}

/** The lines one event adds to the readable log (none for usage, sessions and what is raw JSON). */
export function readableLines(event: AgentEvent, projectDir: string): string[] {
  switch (event.type) {
    case 'message':
      return event.role === 'user' ? [] : event.text.split('\n').filter((l) => l.trim() !== '');
    case 'tool_call':
      return [toolLine(event.name, event.input, projectDir)];
    case 'tool_result':
      return event.ok ? [] : [`  ${cut(`failed: ${event.output ?? 'no output'}`)}`];
    case 'file_change':
      return [`  ${event.kind === 'add' ? 'added' : event.kind === 'delete' ? 'deleted' : 'changed'} ${shown(event.path, projectDir)}`];
    case 'error':
      return [cut(`error: ${event.message}`)];
    case 'permission':
      return [event.message];
    case 'limit':
      return [cut(`limit: ${event.message}${event.resetAt ? ` (resets ${new Date(event.resetAt).toISOString()})` : ''}`)];
    case 'raw':
      return parseJsonObject(event.line) || event.line.trim() === '' ? [] : [event.line];
    default:
      return [];
  }
}
