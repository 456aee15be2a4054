/**
 * Held-out acceptance test drafts: where the KB sets `gates.holdout`, an agent session of its own
 * after the planning cycle drafts one acceptance test per requirement (`holdout-session.ts`), and
 * Goldloop writes each into the held-out folder (outside the project, hidden from every agent)
 * under a header that says it is a draft for the user to review. A file that exists there is never
 * overwritten.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { jsonPath, type KbProblem } from '../../store/kb/kb-file.ts';
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

/**
 * The prompt of the drafting session: a session of its own, after the planning cycle, so the
 * planning session (which a CLI keeps, and which nothing stops a later run from resuming) never
 * holds a draft. The requirements come from the KB the planning cycle merged.
 */
export function holdoutDraftPrompt(kb: Kb, draftsFile: string): string | undefined {
  const holdout = kb.gates.holdout;
  if (!holdout || kb.requirements.length === 0) return undefined;
  return `${[
    '# Goldloop: held-out acceptance test drafts',
    '',
    'Draft one acceptance test file per requirement below. Do not change any file of the project.',
    '',
    '## Requirements',
    ...kb.requirements.map((r) => `- ${r.id}: ${r.text}`),
    '',
    '## What to write',
    `Write the drafts to \`${draftsFile}\` as one JSON array: [{ "requirement": "REQ-001", "file": "REQ-001.test.js", "content": "..." }].`,
    `- They are run by this command, in the project's folder, with {holdout} being the folder they are kept in: ${JSON.stringify(holdout.command)}. Write them for that runner, in the project's language.`,
    "- Test what the requirement says through the project's public interface, with inputs of your own choosing (not those of the project's tests), and name the requirement id in each test's name.",
    '- They are drafts: the user reviews them, and the agent that builds the project never sees them.',
  ].join('\n')}\n`;
}

/** The drafts the drafting session wrote, checked: each for a requirement of the KB, each file once. */
export function validateDrafts(raw: unknown, kb: Kb): { drafts: HoldoutDraft[]; problems: KbProblem[] } {
  const parsed = z.array(HoldoutDraftSchema).safeParse(raw);
  if (!parsed.success)
    return {
      drafts: [],
      problems: parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message, fix: 'write the array the prompt shows' })),
    };
  const problems: KbProblem[] = [];
  const ids = new Set(kb.requirements.map((r) => r.id));
  const files = new Set<string>();
  parsed.data.forEach((d, i) => {
    if (!ids.has(d.requirement))
      problems.push({
        path: `$[${i}].requirement`,
        message: `requirement "${d.requirement}" does not exist`,
        fix: 'name a requirement of the knowledge base',
      });
    if (files.has(d.file))
      problems.push({ path: `$[${i}].file`, message: `${d.file} is drafted twice`, fix: 'give each draft a file name of its own' });
    files.add(d.file);
  });
  return { drafts: problems.length ? [] : parsed.data, problems };
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
