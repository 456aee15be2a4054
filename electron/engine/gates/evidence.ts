/**
 * The evidence folders, `.goldloop/evidence/<name>/`: each gate phase keeps there copies of the
 * reports it read, so a checklist line can point at what it was judged on. Only the newest are kept.
 *
 * A phase's folder is named by the minute it started (UTC) and what it measured:
 * `2026-12-02T0105-cycle-12`, `2026-12-02T0106-cycle-12-rollback`, `2026-12-02T0100-baseline`,
 * `2026-12-02T0107-manual-2` (the second manual run of that minute). The names sort by time and hold
 * no colon, which Windows refuses in a file name. Folders of earlier versions (`cycle-12`,
 * `manual-1764637500000`, `baseline-1a2b3c4d`) are still listed, found and pruned.
 */
import { mkdir, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GOLDLOOP_DIR } from '../../store/kb/kb-file.ts';

/** How many evidence folders are kept, the current one included. */
export const EVIDENCE_KEEP = 20;

const evidenceRoot = (projectDir: string): string => join(projectDir, GOLDLOOP_DIR, 'evidence');

/** The folder of one gate phase's evidence, by its name (`2026-12-02T0105-cycle-3`, or an old `cycle-3`). */
export const evidenceFolder = (projectDir: string, name: string): string => join(evidenceRoot(projectDir), name);

/** `2026-12-02T0105`: the minute of `at`, UTC. */
export const evidenceStamp = (at: number): string => new Date(at).toISOString().slice(0, 16).replace(':', '');

const STAMP = String.raw`\d{4}-\d{2}-\d{2}T\d{4}`;

/**
 * Makes the evidence folder of a phase that measures `label` at `at`, and returns its name:
 * `<stamp>-<label>`, or `<stamp>-<label>-2`, `-3`... when that name is taken (two phases of one
 * label in a minute). Made here, at once, so two phases at the same time never share a folder.
 */
export async function makeEvidenceFolder(projectDir: string, label: string, at: number): Promise<string> {
  const root = evidenceRoot(projectDir);
  await mkdir(root, { recursive: true });
  const base = `${evidenceStamp(at)}-${label}`;
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    try {
      await mkdir(join(root, name));
      return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Removes a phase's evidence folder if it is empty (no command gate ran): an empty folder is evidence of nothing. */
export async function dropIfEmpty(projectDir: string, name: string): Promise<void> {
  await rmdir(evidenceFolder(projectDir, name)).catch(() => {});
}

/**
 * The newest kept evidence folder of a phase that measured `label`: dated (`<stamp>-<label>`, also
 * with a `-2` of a second phase that minute) before an earlier version's undated `<label>`.
 * Undefined when none is kept.
 */
export async function findEvidenceFolder(projectDir: string, label: string): Promise<string | undefined> {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const dated = new RegExp(`^(${STAMP})-${escaped}(?:-(\\d+))?$`);
  const names = await readdir(evidenceRoot(projectDir)).catch(() => [] as string[]);
  const found = names
    .map((name) => ({ name, m: dated.exec(name) }))
    .filter((f): f is { name: string; m: RegExpExecArray } => f.m !== null)
    // Newest: the latest minute, then the highest number in it.
    .sort((a, b) => a.m[1]!.localeCompare(b.m[1]!) || Number(a.m[2] ?? 1) - Number(b.m[2] ?? 1));
  return found.at(-1)?.name ?? (names.includes(label) ? label : undefined);
}

/**
 * Keeps the newest evidence folders: `keep` of them besides the current one, which is never
 * removed (it may sort before older ones: `baseline` before `cycle-1`).
 */
export async function pruneEvidence(projectDir: string, current: string, keep: number): Promise<void> {
  const dir = evidenceRoot(projectDir);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n !== current);
  // Oldest first by when each folder was written: names mix cycles, baselines and manual runs.
  const dated = await Promise.all(
    names.map(async (name) => ({ name, at: (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  const sorted = dated.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name, 'en', { numeric: true })).map((d) => d.name);
  for (const old of sorted.slice(0, Math.max(0, sorted.length - keep))) {
    await rm(join(dir, old), { recursive: true, force: true });
  }
}
