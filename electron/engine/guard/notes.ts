/**
 * Notes the agent leaves for its later cycles: entries it appends to the KB's `notes`, or plain
 * Markdown it writes to `.goldloop/notes/next.md`. Goldloop keeps only `text`, `task` and `at`,
 * stamps the cycle itself, and never reads a note as anything but text for the next prompts.
 * They live with the guard because an agent may add notes but not rewrite or remove old ones.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GOLDLOOP_DIR } from '../../store/kb/kb-file.ts';
import type { Kb, Note } from '../../store/kb/schema.ts';

/** The file an agent may write during a cycle; collected (and moved to `cycle-N.md`) after it. */
export const NEXT_NOTES_FILE = join(GOLDLOOP_DIR, 'notes', 'next.md');

/** Bounds on what one cycle may add, so a runaway agent cannot flood the KB or the prompt. */
const MAX_NOTES_PER_CYCLE = 10;
const MAX_NOTE_CHARS = 2_000;

const key = (n: Note): string => JSON.stringify([n.text, n.task ?? null, n.at ?? null, n.cycle ?? null]);

/** A note as Goldloop stores it: only the known fields, the cycle stamped. */
function stamp(n: { text: string; task?: unknown; at?: unknown }, cycle: number, nowIso: string, task: string | undefined): Note {
  const t = typeof n.task === 'string' && n.task ? n.task : task;
  return {
    text: n.text.trim().slice(0, MAX_NOTE_CHARS),
    ...(t ? { task: t } : {}),
    at: typeof n.at === 'string' && !Number.isNaN(Date.parse(n.at)) ? n.at : nowIso,
    cycle,
  };
}

/**
 * The notes a cycle added: KB notes that are not among the stamped notes from before the cycle,
 * and the text of `.goldloop/notes/next.md` (then moved to `.goldloop/notes/cycle-N.md`).
 */
export async function collectNotes(projectDir: string, after: Kb, before: Kb, cycle: number, now: number, task?: string): Promise<Note[]> {
  const nowIso = new Date(now).toISOString();
  const stamped = before.notes.filter((n) => n.cycle !== undefined);
  const kept = new Set(stamped.map(key));
  // A note carrying an earlier cycle's stamp is an edit of an old note, not a new one.
  const oldCycles = new Set(stamped.map((n) => n.cycle));
  const fresh = after.notes
    .filter((n) => !kept.has(key(n)) && !oldCycles.has(n.cycle) && n.text.trim())
    .map((n) => stamp(n, cycle, nowIso, task));
  const file = join(projectDir, NEXT_NOTES_FILE);
  const text = await readFile(file, 'utf8').catch(() => '');
  if (text.trim()) fresh.push(stamp({ text }, cycle, nowIso, task));
  if (text) {
    const done = join(dirname(file), `cycle-${cycle}.md`);
    await mkdir(dirname(done), { recursive: true });
    await rename(file, done).catch(() => {});
  }
  return fresh.slice(0, MAX_NOTES_PER_CYCLE);
}

/**
 * Sets the KB's notes to the stamped notes from before the cycle plus the cycle's new ones: an
 * agent may add notes, not rewrite or remove old ones. Returns what was restored, in words.
 */
export function keepNotes(kb: Kb, before: Kb, fresh: readonly Note[]): string[] {
  const old = before.notes.filter((n) => n.cycle !== undefined);
  const oldKeys = new Set(old.map(key));
  const removed = old.filter((n) => !kb.notes.some((m) => key(m) === key(n))).length;
  kb.notes = [...old, ...fresh.filter((n) => !oldKeys.has(key(n)))];
  return removed ? [`notes (${removed} earlier note(s) edited or removed)`] : [];
}
