/**
 * `goldloop init --redetect`: the gates of an existing knowledge base proposed again from the
 * project's files, as `init` would propose them now. Only the `gates` section changes, and in it
 * only what detection proposes; every other byte of meaning (plan, tasks, requirements, notes,
 * settings, fields Goldloop does not know) is kept. The write is atomic and the previous file is
 * kept in `.goldloop/kb-backup.json`.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../platform/atomic.ts';
import { lockHolder } from '../../store/lock.ts';
import { GOLDLOOP_DIR, KB_BACKUP, kbPath, parseKb } from '../../store/kb/kb-file.ts';
import { detectForInit, InitError, type InitOptions } from './init.ts';

/** The gates detection proposes: each is replaced by what it finds now, and removed when it finds none. */
const DETECTED = ['tests', 'mutation', 'security', 'build'] as const;
/** Settings of a gate that are the user's, not detection's: kept when the gate is proposed again. */
const USER_SETTINGS = ['enabled', 'timeout_minutes'];

export interface RedetectResult {
  kbFile: string;
  /** The changes to `gates`, one line each: `- path: old`, `+ path: new`; empty when nothing changed. */
  diff: string[];
  notes: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Flattens an object to JSON paths; arrays and scalars are leaves, shown as JSON. */
function flatten(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, v] of Object.entries(value)) flatten(v, `${path}.${key}`, out);
  } else {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

/** The lines that differ between two `gates` sections, by JSON path, in the order of the paths. */
export function gatesDiff(before: unknown, after: unknown): string[] {
  const a = flatten(before ?? {}, 'gates', new Map());
  const b = flatten(after ?? {}, 'gates', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const lines: string[] = [];
  for (const path of paths) {
    if (a.get(path) === b.get(path)) continue;
    if (a.has(path)) lines.push(`- ${path}: ${a.get(path)}`);
    if (b.has(path)) lines.push(`+ ${path}: ${b.get(path)}`);
  }
  return lines;
}

/** The new `gates`: detection's proposals in place of the old ones, the user's own gates and settings kept. */
function mergeGates(old: Json, detected: Json): Json {
  const gates: Json = { ...old };
  for (const name of DETECTED) {
    const proposed = detected[name];
    if (!isObject(proposed)) {
      delete gates[name];
      continue;
    }
    const before = isObject(old[name]) ? old[name] : {};
    const kept = Object.fromEntries(USER_SETTINGS.filter((k) => k in before).map((k) => [k, before[k]]));
    gates[name] = { ...proposed, ...kept };
  }
  // The docs gate is proposed only for a README of another name; otherwise the user's stays.
  if (isObject(detected.docs)) gates.docs = { ...(isObject(old.docs) ? old.docs : {}), ...detected.docs };
  return gates;
}

/**
 * Detects the gates of the project again and writes them into its existing knowledge base.
 * Refused while a run drives the project (the gates are Goldloop's during a run) and for a
 * knowledge base that does not validate (the KbError names what to fix).
 */
export async function redetectGates(dir: string, options: Pick<InitOptions, 'testCommand' | 'detect'> = {}): Promise<RedetectResult> {
  const projectDir = resolve(dir);
  const file = kbPath(projectDir);
  const holder = await lockHolder(projectDir);
  if (holder)
    throw new InitError(
      `${projectDir} is being run by Goldloop (pid ${holder.pid}), and its gates are Goldloop's during a run: stop the run, then run goldloop init --redetect again`,
    );
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InitError(
      error.code === 'ENOENT'
        ? `${file} does not exist: there is nothing to re-detect; create it with goldloop init ${dir}`
        : `cannot read ${file} (${error.code ?? error.message})`,
    );
  });
  parseKb(text, file);
  const raw = JSON.parse(text.startsWith('\ufeff') ? text.slice(1) : text) as Json;
  const detected = await detectForInit(projectDir, options);
  const old = isObject(raw.gates) ? raw.gates : {};
  const gates = mergeGates(old, detected.gates as Json);
  const diff = gatesDiff(old, gates);
  if (diff.length > 0) {
    const next = `${JSON.stringify({ ...raw, gates }, null, 2)}\n`;
    // What is written must load: a proposal the schema refuses is never saved.
    parseKb(next, file);
    await mkdir(join(projectDir, GOLDLOOP_DIR), { recursive: true });
    await writeFileAtomic(join(projectDir, KB_BACKUP), text);
    await writeFileAtomic(file, next);
  }
  return { kbFile: file, diff, notes: detected.notes };
}
