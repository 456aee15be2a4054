import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { packageFile } from '../../platform/package-root.ts';
import { GOLDLOOP_DIR } from '../../store/kb/kb-file.ts';
import type { Kb } from '../../store/kb/schema.ts';

/**
 * The prompt is a Markdown template with named placeholders (`{{task}}`), so users can reword it
 * per project without touching code. Goldloop renders each placeholder as a block of Markdown
 * (empty when there is nothing to say: its line then disappears).
 */

/** Every placeholder a template may use, with what it becomes. Documented in the README. */
export const PLACEHOLDERS = {
  project: 'the project name',
  iteration: 'the cycle number',
  task: 'the task, its phase, acceptance, requirements and verify command (required)',
  failing_gates: 'failing checklist lines with their measured value, target and evidence',
  failing_tests: 'names and messages of failing tests',
  least_covered_files: 'the files with the lowest line coverage, when coverage fails',
  regressions: 'tests the last cycle broke (it was rolled back)',
  tamper: 'what the last cycle did to weaken the measurements',
  last_attempt: 'why the last attempt at the task was not accepted',
  notes: 'the latest notes the agent left in earlier cycles',
  how_to_add: 'how to add a task or a note (the exact JSON shapes)',
  rules: 'the rules of the loop (required)',
  cut: 'what was cut to keep the prompt within its size budget',
} as const;

export type PlaceholderName = keyof typeof PLACEHOLDERS;

/** Placeholders a template cannot leave out: without them the agent has no task or no rules. */
const REQUIRED: PlaceholderName[] = ['task', 'rules'];

/** Where a project's own template lives unless the KB's `prompt_template` names another file. */
export const PROJECT_TEMPLATE = join(GOLDLOOP_DIR, 'prompt-template.md');

/** The bundled default template's path (a real file, so users can copy it as a start). */
export const DEFAULT_TEMPLATE_FILE = packageFile('electron', 'engine', 'loop', 'prompt-template.md');

/** A template that cannot be used; the message names the file, the placeholder and the fix. */
export class PromptTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptTemplateError';
  }
}

export interface PromptTemplate {
  /** Where it came from, for messages. */
  file: string;
  text: string;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Checks that a template uses only known placeholders and has the required ones. */
export function parseTemplate(text: string, file: string): PromptTemplate {
  const known = Object.keys(PLACEHOLDERS);
  const seen = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1]!.trim();
    if (!known.includes(name)) {
      const line = text.slice(0, match.index).split('\n').length;
      throw new PromptTemplateError(
        `${file}, line ${line}: unknown placeholder {{${name}}}. Fix: use one of ${known.map((k) => `{{${k}}}`).join(', ')}, or remove it.`,
      );
    }
    seen.add(name);
  }
  for (const name of REQUIRED) {
    if (!seen.has(name)) {
      throw new PromptTemplateError(
        `${file}: the template has no {{${name}}} placeholder. Fix: add a line with {{${name}}}; ${PLACEHOLDERS[name]}.`,
      );
    }
  }
  return { file, text };
}

let defaultTemplate: PromptTemplate | undefined;

/** The bundled template, parsed once. */
export function defaultPromptTemplate(): PromptTemplate {
  defaultTemplate ??= parseTemplate(readFileSync(DEFAULT_TEMPLATE_FILE, 'utf8'), DEFAULT_TEMPLATE_FILE);
  return defaultTemplate;
}

/**
 * The project's template: the file the KB's `prompt_template` names (relative to the project),
 * else `.goldloop/prompt-template.md` when it exists, else the bundled default. Throws
 * PromptTemplateError when the named file is missing or the template is not valid.
 */
export async function loadPromptTemplate(projectDir: string, kb: Pick<Kb, 'prompt_template'>): Promise<PromptTemplate> {
  const named = kb.prompt_template;
  const file = named ? (isAbsolute(named) ? named : resolve(projectDir, named)) : join(projectDir, PROJECT_TEMPLATE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (!named && (error as NodeJS.ErrnoException).code === 'ENOENT') return defaultPromptTemplate();
    throw new PromptTemplateError(
      `${file}: cannot read the prompt template named by prompt_template in .ai-knowledge-base.json (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Fix: create the file (copy ${DEFAULT_TEMPLATE_FILE}), or remove prompt_template to use the default.`,
    );
  }
  return parseTemplate(text, file);
}

/**
 * Fills a template. A line holding only a placeholder whose block is empty is dropped, and runs
 * of blank lines collapse to one, so optional sections leave no gaps.
 */
export function renderTemplate(template: PromptTemplate, blocks: Partial<Record<PlaceholderName, string>>): string {
  const lines: string[] = [];
  for (const line of template.text.split('\n')) {
    const only = /^\s*\{\{([^{}]*)\}\}\s*$/.exec(line);
    if (only && !blocks[only[1]!.trim() as PlaceholderName]) continue;
    lines.push(line.replace(PLACEHOLDER, (_, name: string) => blocks[name.trim() as PlaceholderName] ?? ''));
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
