import type { AgentAdapter, AgentEvent } from './types.ts';

// The splitting lives in electron/contract, so the dashboard's settings form splits a line the same way.
export { splitCommandLine } from '../../contract/command-line.ts';

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
