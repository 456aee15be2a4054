import type { AgentAdapter, AgentEvent } from './types.ts';

/**
 * Splits a command line into argv the way a POSIX shell would tokenise it — quotes and
 * backslashes — but without a shell: no variables, globs, pipes or redirections, so nothing in
 * it can be injected. Throws on an unterminated quote.
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else current += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) current += line[++i];
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inToken = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) out.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in command line: ${line}`);
  if (inToken) out.push(current);
  return out;
}

/**
 * Any program as the agent: the prompt goes to its stdin and to the file named in
 * GOLDLOOP_PROMPT_FILE; its output lines are logged as they come. Its exit code is its claim.
 */
export function commandAdapter(argv: string[]): AgentAdapter {
  if (argv.length === 0) throw new Error('the command agent needs a program to run (--agent-cmd "<command line>")');
  return {
    kind: 'command',
    displayName: `command: ${argv.join(' ')}`,
    executable: argv[0]!,
    installHint: `make sure ${argv[0]} exists and is executable (an absolute path avoids PATH surprises)`,
    checkedVersions: [],
    buildCommand(options) {
      return {
        argv: [...argv.slice(1), ...(options.extraArgs ?? [])],
        stdin: options.prompt,
        env: { GOLDLOOP_PROMPT_FILE: options.promptFile },
      };
    },
    createParser() {
      return {
        line: (text, stream): AgentEvent[] => [{ type: 'raw', stream, line: text }],
        end: () => [],
      };
    },
  };
}
