import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandAdapter, splitCommandLine } from '../../../electron/engine/agents/command.ts';
import { adapterRunner } from '../../../electron/engine/agents/runner.ts';
import type { AgentEvent, AgentRunOptions } from '../../../electron/engine/agents/types.ts';
import { TempDirs } from '../../helpers/temp.ts';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

describe('splitCommandLine', () => {
  it('splits on spaces', () => {
    expect(splitCommandLine('node agent.mjs --fast')).toEqual(['node', 'agent.mjs', '--fast']);
  });

  it('treats runs of spaces, tabs and newlines as one separator', () => {
    expect(splitCommandLine('  a \t b\n\nc  ')).toEqual(['a', 'b', 'c']);
  });

  it('is empty for an empty or blank line', () => {
    expect(splitCommandLine('')).toEqual([]);
    expect(splitCommandLine('   ')).toEqual([]);
  });

  it('keeps spaces inside double quotes', () => {
    expect(splitCommandLine('run "my file.txt" x')).toEqual(['run', 'my file.txt', 'x']);
  });

  it('keeps spaces inside single quotes', () => {
    expect(splitCommandLine("run 'my file.txt'")).toEqual(['run', 'my file.txt']);
  });

  it('keeps an empty quoted string as an argument', () => {
    expect(splitCommandLine('cmd "" x')).toEqual(['cmd', '', 'x']);
    expect(splitCommandLine("cmd ''")).toEqual(['cmd', '']);
  });

  it('joins quoted and unquoted parts of one word', () => {
    expect(splitCommandLine(`--name="a b"'c d'e`)).toEqual(['--name=a bc de']);
  });

  it('escapes a space with a backslash', () => {
    expect(splitCommandLine('open my\\ file')).toEqual(['open', 'my file']);
  });

  it('escapes a quote with a backslash outside quotes', () => {
    expect(splitCommandLine('say \\"hi\\"')).toEqual(['say', '"hi"']);
  });

  it('unescapes \\" and \\\\ inside double quotes', () => {
    expect(splitCommandLine('"a \\"quoted\\" word" "back\\\\slash"')).toEqual(['a "quoted" word', 'back\\slash']);
  });

  it('keeps other backslashes inside double quotes', () => {
    expect(splitCommandLine('"C:\\dir\\n"')).toEqual(['C:\\dir\\n']);
  });

  it('keeps every backslash inside single quotes', () => {
    expect(splitCommandLine("'a\\b\\\"c'")).toEqual(['a\\b\\"c']);
  });

  it('keeps a double quote inside single quotes and the other way round', () => {
    expect(splitCommandLine(`'say "hi"' "it's"`)).toEqual(['say "hi"', "it's"]);
  });

  it('throws on an unterminated double quote', () => {
    expect(() => splitCommandLine('node "agent.mjs')).toThrow('unterminated " quote in command line: node "agent.mjs');
  });

  it('throws on an unterminated single quote', () => {
    expect(() => splitCommandLine("node 'agent.mjs")).toThrow("unterminated ' quote");
  });

  it('leaves $variables, globs, pipes and semicolons literal', () => {
    expect(splitCommandLine('echo $HOME *.ts | grep x ; rm -rf / && true > out')).toEqual([
      'echo',
      '$HOME',
      '*.ts',
      '|',
      'grep',
      'x',
      ';',
      'rm',
      '-rf',
      '/',
      '&&',
      'true',
      '>',
      'out',
    ]);
  });

  it('does not expand $(...) or backticks', () => {
    expect(splitCommandLine('echo $(whoami) `id`')).toEqual(['echo', '$(whoami)', '`id`']);
  });
});

const options = (dir: string, prompt: string): AgentRunOptions => ({ prompt, promptFile: join(dir, 'prompt.md'), cwd: dir });

describe('commandAdapter', () => {
  it('refuses an empty command', () => {
    expect(() => commandAdapter([])).toThrow('the command agent needs a program to run');
  });

  it('names the program in its display name and install hint', () => {
    const adapter = commandAdapter(['/opt/bin/my-agent', '--x']);
    expect(adapter).toMatchObject({ kind: 'command', displayName: 'command: /opt/bin/my-agent --x', executable: '/opt/bin/my-agent' });
    expect(adapter.installHint).toContain('/opt/bin/my-agent');
  });

  it('builds the arguments after the program plus the extra arguments, the prompt as stdin and the prompt file in env', () => {
    const adapter = commandAdapter(['my-agent', '--mode', 'a b']);
    const command = adapter.buildCommand({ ...options('/p', 'do the task'), extraArgs: ['--verbose'] });
    expect(adapter.executable).toBe('my-agent');
    expect(command).toEqual({
      argv: ['--mode', 'a b', '--verbose'],
      stdin: 'do the task',
      env: { GOLDLOOP_PROMPT_FILE: '/p/prompt.md' },
    });
  });

  it('turns every output line into a raw event', () => {
    const parser = commandAdapter(['x']).createParser();
    expect(parser.line('hello', 'stdout')).toEqual([{ type: 'raw', stream: 'stdout', line: 'hello' }]);
    expect(parser.line('{"type":"result"}', 'stderr')).toEqual([{ type: 'raw', stream: 'stderr', line: '{"type":"result"}' }]);
    expect(parser.end({ code: 0, killedByGoldloop: false })).toEqual([]);
  });

  it('gives a real program the prompt on stdin and GOLDLOOP_PROMPT_FILE in its environment', async () => {
    const dir = await temps.make('goldloop-agent-');
    const prompt = 'Implement TASK_001.\nRules: no shell.';
    const opts = options(dir, prompt);
    await writeFile(opts.promptFile, prompt);
    const script = join(dir, 'agent.cjs');
    await writeFile(
      script,
      `let input = '';
process.stdin.on('data', (c) => (input += c)).on('end', () => {
  const file = process.env.GOLDLOOP_PROMPT_FILE;
  console.log('file=' + file);
  console.log('same=' + (require('fs').readFileSync(file, 'utf8') === input));
  console.error('stdin=' + JSON.stringify(input));
});
`,
    );
    const events: AgentEvent[] = [];
    const outcome = await adapterRunner(commandAdapter([process.execPath, script]))({
      options: opts,
      timeoutMs: 20_000,
      onEvent: (e) => events.push(e),
    });
    expect(outcome.exitCode).toBe(0);
    // First Goldloop's own note of the sandbox it runs in, then the program's lines.
    expect(events.shift()).toMatchObject({ type: 'message', role: 'system', text: expect.stringMatching(/^goldloop: sandbox: /) });
    expect(events).toEqual([
      { type: 'raw', stream: 'stdout', line: `file=${opts.promptFile}` },
      { type: 'raw', stream: 'stdout', line: 'same=true' },
      { type: 'raw', stream: 'stderr', line: `stdin=${JSON.stringify(prompt)}` },
    ]);
    expect(await readFile(opts.promptFile, 'utf8')).toBe(prompt);
  });

  it('passes shell metacharacters in its arguments to the program untouched', async () => {
    const dir = await temps.make('goldloop-agent-');
    const argv = splitCommandLine(`"${process.execPath}" -e "console.log(JSON.stringify(process.argv.slice(1)))" '$HOME' '*' '|' ';'`);
    const events: AgentEvent[] = [];
    await adapterRunner(commandAdapter(argv))({ options: options(dir, ''), timeoutMs: 20_000, onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'raw')).toEqual([
      { type: 'raw', stream: 'stdout', line: JSON.stringify(['$HOME', '*', '|', ';']) },
    ]);
  });

  it('gives a CLI that starts slowly (a loaded machine) time for its first line beyond the no-output limit', async () => {
    const dir = await temps.make();
    // Silent for 12 s, longer than the no-output limit (1 s) plus a program's usual start-up allowance (10 s).
    const argv = [process.execPath, '-e', "setTimeout(() => console.log('started at last'), 12000)"];
    const events: AgentEvent[] = [];
    const outcome = await adapterRunner(commandAdapter(argv))({
      options: options(dir, ''),
      timeoutMs: 120_000,
      idleTimeoutMs: 1000,
      onEvent: (e) => events.push(e),
    });
    expect(outcome.killedBy).toBeUndefined();
    expect(outcome.exitCode).toBe(0);
    expect(events).toContainEqual({ type: 'raw', stream: 'stdout', line: 'started at last' });
  }, 120_000);
});
