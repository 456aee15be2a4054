/**
 * Held-out acceptance test drafts from the planning cycle: where the KB sets `gates.holdout`, the
 * planning agent also drafts one acceptance test per requirement, and Goldloop writes each into the
 * held-out folder (outside the project, hidden from every agent) under a header that says it is a
 * draft for the user to review. A file that exists there is never overwritten. The drafts are then
 * taken out of the proposal file, which stays in the project where the loop's agent can read it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import type { Kb } from '../../store/kb/schema.ts';

export const HoldoutDraftSchema = z.looseObject({
  requirement: z.string().min(1),
  /** A file name in the held-out folder, no folder of its own. */
  file: z
    .string()
    .regex(
      /^[\w][\w.-]*$/,
      'give a plain file name (letters, digits, dots, dashes, underscores), no folder: it is written into the held-out folder',
    ),
  content: z.string().min(1, "give the test file's text"),
});
export type HoldoutDraft = z.infer<typeof HoldoutDraftSchema>;

/** What the prompt asks of the planning agent where the KB has held-out tests; nothing where it has none. */
export function holdoutDraftRequest(kb: Kb): string[] {
  const holdout = kb.gates.holdout;
  if (!holdout) return [];
  return [
    '',
    '## Held-out acceptance test drafts',
    `Also draft one acceptance test file per requirement, in \`holdout_tests\`: [{ "requirement": "REQ-001", "file": "REQ-001.test.js", "content": "..." }].`,
    `- They are run by this command, in the project's folder, with {holdout} being the folder they are kept in: ${JSON.stringify(holdout.command)}. Write them for that runner, in the project's language.`,
    "- Test what the requirement says through the project's public interface, with inputs of your own choosing (not those of the project's tests), and name the requirement id in each test's name.",
    '- They are drafts: the user reviews them, and the agent that builds the project never sees them.',
  ];
}

/** The comment that starts a line in a file of this extension. */
function commentFor(file: string): string {
  const ext = extname(file).toLowerCase();
  if (['.py', '.rb', '.sh', '.toml', '.yaml', '.yml', '.r', '.pl'].includes(ext)) return '#';
  if (['.sql', '.lua', '.hs'].includes(ext)) return '--';
  return '//';
}

/** The header every draft starts with: what it is, where it came from, what to do with it. */
export function draftHeader(file: string, requirement: string, text: string | undefined): string {
  const c = commentFor(file);
  return [
    `${c} DRAFT held-out acceptance test, written by \`goldloop init --plan\` for ${requirement}${text ? `: ${text}` : ''}.`,
    `${c} Review it before relying on it: check that it tests what the requirement means, and change or remove it.`,
    `${c} The agent never sees this folder; Goldloop never overwrites a file here.`,
    '',
  ].join('\n');
}

export interface DraftsWritten {
  folder: string;
  written: string[];
  /** Files that existed already and were left as they were. */
  kept: string[];
}

/** Writes each draft into the held-out folder, never over a file that is there. */
export async function writeHoldoutDrafts(kb: Kb, drafts: readonly HoldoutDraft[]): Promise<DraftsWritten | undefined> {
  const folder = kb.gates.holdout?.dir;
  if (!folder || drafts.length === 0) return undefined;
  await mkdir(folder, { recursive: true });
  const out: DraftsWritten = { folder, written: [], kept: [] };
  for (const draft of drafts) {
    const text = kb.requirements.find((r) => r.id === draft.requirement)?.text;
    try {
      // 'wx': created here or not at all, so a file the user has is never replaced.
      await writeFile(join(folder, draft.file), `${draftHeader(draft.file, draft.requirement, text)}${draft.content}`, { flag: 'wx' });
      out.written.push(draft.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      out.kept.push(draft.file);
    }
  }
  return out;
}
