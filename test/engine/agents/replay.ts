/** Replays a recorded stream through an adapter's parser, the way the runner feeds it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AgentAdapter, AgentEvent, AgentExit } from '../../../electron/engine/agents/types.ts';

const STREAMS = fileURLToPath(new URL('../../fixtures/agent-streams/', import.meta.url));
const HELP = fileURLToPath(new URL('../../fixtures/agent-help/', import.meta.url));

/** The lines of a recorded stdout stream. */
export function streamLines(cli: string, file: string): string[] {
  const text = readFileSync(`${STREAMS}${cli}/${file}`, 'utf8');
  return text.split('\n').filter((line, i, all) => !(i === all.length - 1 && line === ''));
}

/** Feeds every line as stdout, then ends the run with the given exit. */
export function replay(
  adapter: AgentAdapter,
  lines: string[],
  exit: AgentExit = { code: 0, killedByGoldloop: false },
  stderr: string[] = [],
): AgentEvent[] {
  const parser = adapter.createParser();
  const events: AgentEvent[] = [];
  for (const line of lines) events.push(...parser.line(line, 'stdout'));
  for (const line of stderr) events.push(...parser.line(line, 'stderr'));
  events.push(...parser.end(exit));
  return events;
}

/** Events of one type, narrowed. */
export function ofType<T extends AgentEvent['type']>(events: AgentEvent[], type: T): Extract<AgentEvent, { type: T }>[] {
  return events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
}

/** The captured help text of a CLI; its first line names the version. */
export function helpText(cli: string): string {
  return readFileSync(`${HELP}${cli}.txt`, 'utf8');
}

/** Every option-looking argument (`-x`, `--xyz`) of an argv; `-` alone (stdin) is not an option. */
export function optionsOf(argv: string[]): string[] {
  return argv.filter((a) => /^--?[A-Za-z]/.test(a));
}

/** Whether the help text lists the option as a flag (not merely inside some other word). */
export function helpListsOption(help: string, option: string): boolean {
  const escaped = option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s,\\[])${escaped}(?=[\\s,=\\]]|$)`, 'm').test(help);
}
