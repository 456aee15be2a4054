import { relative, sep } from 'node:path';
import { localDay, localTime } from '../platform/clock.ts';
import { detailWithoutSurvivors } from '../contract/status.ts';
import { mutantText } from '../engine/gates/checklist/mutation.ts';
import { sandboxLine, sandboxMeaning } from '../contract/sandbox.ts';
import type { ChecklistItem } from '../engine/gates/types.ts';
import type { ProjectStatus } from '../engine/project/status.ts';
import { goldWords } from '../contract/status.ts';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
export const colours: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  green: wrap(32, 39),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};
const id = (s: string): string => s;
export const plain: Style = { bold: id, dim: id, green: id, red: id, yellow: id, cyan: id };

/** Colour only for a terminal, and never when NO_COLOR is set (no-color.org). */
export function styleFor(stream: NodeJS.WriteStream): Style {
  return stream.isTTY && !process.env.NO_COLOR ? colours : plain;
}

/**
 * A local time as `14:05:03`, with its date (`2026-12-01 14:05:03`) when it is not today. Written out
 * by hand, not with `toLocaleTimeString`: its first call loads the locale data, a fifth of what
 * `goldloop status` takes to start.
 */
export const clock = (iso: string | undefined): string => {
  if (!iso) return '—';
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return iso;
  return localDay(ms) === localDay(Date.now()) ? localTime(ms) : `${localDay(ms)} ${localTime(ms)}`;
};

const STEP_LABEL: Record<string, string> = {
  baseline: 'measuring the baseline',
  read_state: 'reading state',
  plan: 'planning',
  execute: 'agent at work',
  quality_check: 'running the gates',
  update_progress: 'updating progress',
  check_completion: 'checking completion',
};

/** The state in words, as a person reads it across the desk: "on a break until 14:05". */
const BREAK_WORDS: Record<NonNullable<ProjectStatus['break_reason']>, string> = {
  break: 'ON A BREAK',
  hourly_limit: 'HOURLY CYCLE LIMIT REACHED',
  daily_limit: "DAY'S CYCLE LIMIT REACHED",
  retry: 'RETRYING AFTER AN ERROR',
  budget: "DAY'S AGENT BUDGET SPENT",
};

export function stateLine(
  s: Pick<ProjectStatus, 'state' | 'step' | 'until' | 'message' | 'break_reason'> & { checklist?: ProjectStatus['checklist'] },
  st: Style,
): string {
  switch (s.state) {
    case 'running':
      return `${st.cyan(st.bold('RUNNING'))}${s.step ? ` — ${STEP_LABEL[s.step] ?? s.step}` : ''}${s.message ? ` — ${s.message}` : ''}`;
    case 'break':
      return `${st.yellow(st.bold(BREAK_WORDS[s.break_reason ?? 'break']))} — next cycle ${clock(s.until)}${s.message ? ` — ${s.message}` : ''}`;
    case 'waiting_limit':
      return `${st.yellow(st.bold('WAITING FOR THE USAGE LIMIT'))} until ${clock(s.until)}${s.message ? ` — ${s.message}` : ''}`;
    case 'paused':
      return `${st.yellow(st.bold('PAUSED'))}${s.message ? ` — ${s.message}` : ''}`;
    case 'error':
      return `${st.red(st.bold('ERROR'))} — ${s.message ?? 'unknown error'}`;
    case 'complete':
      // A state event carries no checklist: its message says what the gold was.
      return `${st.green(st.bold('GOLD'))} — ${s.checklist ? goldWords(s.checklist) : (s.message?.replace(/^gold: /, '') ?? goldWords([]))}`;
    case 'stopped':
      return `${st.bold('STOPPED')}${s.message ? ` — ${s.message}` : ''}`;
    default:
      return `${st.bold('IDLE')} — not started`;
  }
}

export function bar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** The longest piece of a KB's or an agent's text a view prints (a task description can be megabytes). */
export const DISPLAY_MAX = 2000;

const pad = (s: string, n: number): string => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));

/** An argv as a user would type it into a POSIX shell: arguments with spaces, quotes or other special characters in single quotes. */
export const commandLine = (argv: string[]): string =>
  argv.map((a) => (/^[\w@%+=:,./{}-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');

const took = (ms: number): string =>
  ms < 1000
    ? `${Math.round(ms)} ms`
    : ms < 60_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

/** Surviving mutants `goldloop gates` lists under the mutation line. */
const SURVIVORS_LISTED = 5;

/**
 * What a checklist line rests on, for `goldloop gates`: the command with its exit code and time,
 * and the report it read (relative to the project when inside it). Lines measured without a
 * command (phases, requirements, blockers) have none.
 */
export function evidenceLines(e: ChecklistItem['evidence'], projectDir: string): string[] {
  const lines: string[] = [];
  if (e.command) {
    const exit =
      e.exit_code === undefined ? '' : e.exit_code === null ? ' → no exit code (did not run to the end)' : ` → exit ${e.exit_code}`;
    lines.push(`$ ${commandLine(e.command)}${exit}${e.duration_ms === undefined ? '' : ` in ${took(e.duration_ms)}`}`);
  }
  if (e.report) lines.push(`report: ${e.report.startsWith(`${projectDir}${sep}`) ? relative(projectDir, e.report) : e.report}`);
  const survivors = e.survivors;
  if (survivors) {
    for (const m of survivors.mutants.slice(0, SURVIVORS_LISTED))
      lines.push(`${m.status === 'NoCoverage' ? 'not run by any test' : 'survived'}: ${mutantText(m)}`);
    if (survivors.total > SURVIVORS_LISTED) lines.push(`and ${survivors.total - SURVIVORS_LISTED} more surviving mutant(s)`);
  }
  return lines;
}

/**
 * Which sandbox the agent runs in, in a line (yellow when none); `explain` adds what it allows and
 * refuses, in sentences. No sandbox is always explained: the user must know what that means.
 */
export function sandboxLines(sandbox: ProjectStatus['sandbox'], st: Style, explain: boolean): string[] {
  const line = sandboxLine(sandbox).replace(/^sandbox: /, 'Sandbox: ');
  const none = sandbox.kind === 'none';
  return [none ? st.yellow(line) : line, ...(explain || none ? [st.dim(`  ${sandboxMeaning(sandbox)}`)] : [])];
}

/**
 * The status block shared by `goldloop status` and the live view of `goldloop run`; `gates` adds
 * every line's evidence, `tasks` the task queue (and what the sandbox allows, in sentences).
 */
/** A checklist line's detail under it: a detail of several lines (a command's output tail) keeps them, each indented. */
export const detailLines = (detail: string): string[] => detail.split('\n').map((part) => `          ${part}`);

export function renderStatus(s: ProjectStatus, st: Style, options: { tasks?: boolean; evidence?: boolean } = {}): string[] {
  const lines = [
    `${st.bold('Goldloop')} · ${s.name}`,
    st.dim(s.project),
    '',
    `State: ${stateLine(s, st)}`,
    // Said once: a project that was complete says it as its state's message.
    ...(s.stale_gold && s.message !== s.stale_gold ? [st.yellow(s.stale_gold)] : []),
    ...sandboxLines(s.sandbox, st, options.tasks === true),
    `Iteration ${s.iteration} · cycles today ${s.cycles_today}/${s.limits.per_day} · this run ${s.run_iterations}/${s.limits.per_run} · tasks done ${s.tasks_completed}/${s.tasks.length}` +
      ((s.state === 'break' || s.state === 'waiting_limit') && s.until ? ` · next cycle ${clock(s.until)}` : ''),
    '',
    st.bold('Progress per phase'),
  ];
  const nameWidth = Math.max(...s.phases.map((p) => `Phase ${p.phase} ${p.name}`.length), 10);
  for (const p of s.phases) {
    const b = bar(p.done, p.total);
    lines.push(
      `  ${pad(`Phase ${p.phase} ${p.name}`, nameWidth)}  ${p.total > 0 && p.done === p.total ? st.green(b) : b} ${p.done}/${p.total}`,
    );
  }
  lines.push(
    '',
    `${st.bold('Completion checklist')}${s.measured_at ? st.dim(` (measured ${clock(s.measured_at)})`) : st.dim(' (not measured yet)')}`,
  );
  const labelWidth = Math.max(...s.checklist.map((c) => c.label.length), 10);
  for (const c of s.checklist) {
    const verdict = c.disabled ? st.dim('○ OFF ') : c.passed ? st.green('✔ PASS') : st.red('✘ FAIL');
    const value = c.value === null ? '—' : String(c.value);
    lines.push(`  ${verdict}  ${pad(c.label, labelWidth)}  ${value.padEnd(22)} target ${c.threshold ?? '—'}`);
    // With the evidence, surviving mutants get a line each below it.
    const detail = options.evidence ? detailWithoutSurvivors(c.evidence) : c.evidence.detail;
    if (!c.passed || c.disabled || options.evidence) for (const part of detailLines(detail)) lines.push(st.dim(part));
    if (options.evidence) for (const line of evidenceLines(c.evidence, s.project)) lines.push(st.dim(`          ${line}`));
  }
  if (options.tasks) {
    lines.push('', st.bold('Task queue'));
    const order = { P0: 0, P1: 1, P2: 2 };
    const rows = [...s.tasks].sort((a, b) => order[a.priority] - order[b.priority] || a.phase - b.phase);
    for (const t of rows) {
      const mark =
        t.status === 'done'
          ? st.green('done       ')
          : t.current
            ? st.cyan('in progress')
            : t.blocked_by
              ? st.yellow('blocked    ')
              : 'ready      ';
      const next = t.task_id === s.next && t.status !== 'done' ? st.cyan(' ← next') : '';
      lines.push(
        `  ${t.priority} phase ${t.phase}  ${pad(t.task_id, 10)} ${mark} ${t.description}${t.blocked_by && t.status !== 'done' ? st.dim(` (${t.blocked_by})`) : ''}${next}`,
      );
    }
    if (rows.length === 0) lines.push(st.dim('  (empty: add tasks to task_queue in .ai-knowledge-base.json)'));
  }
  return lines;
}
