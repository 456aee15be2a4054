/**
 * The evidence folders, `.goldloop/evidence/<label>/`: each gate phase keeps there copies of the
 * reports it read, so a checklist line can point at what it was judged on. Only the newest are kept.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GOLDLOOP_DIR } from '../../store/kb/kb-file.ts';

/** How many evidence folders are kept, the current one included. */
export const EVIDENCE_KEEP = 20;

const evidenceRoot = (projectDir: string): string => join(projectDir, GOLDLOOP_DIR, 'evidence');

/** The folder of one gate phase's evidence; `label` names the phase (`baseline`, `cycle-3`). */
export const evidenceFolder = (projectDir: string, label: string): string => join(evidenceRoot(projectDir), label);

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
