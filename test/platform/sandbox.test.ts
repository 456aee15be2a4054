import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endMarked, markedProcesses } from '../../electron/platform/leftovers.ts';
import { runProcess, type RunResult } from '../../electron/platform/process.ts';
import { resolvePolicy, wrapInSandbox, type SandboxPolicy } from '../../electron/platform/sandbox.ts';
import { waitFor } from '../helpers/project.ts';
import { noBubblewrap, SANDBOX } from '../helpers/sandbox.ts';
import { TempDirs, VISIBLE_TEMP } from '../helpers/temp.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

/**
 * A home outside /tmp holding a secret, the CLI's own folder and file, Goldloop's config folder;
 * a project in it (a git repository with Goldloop's folder) holding a folder to hide as well.
 */
let home = '';
let project = '';
let policy: SandboxPolicy;
beforeAll(async () => {
  home = await temp.make('goldloop-home-', VISIBLE_TEMP);
  project = join(home, 'work', 'shop');
  await mkdir(join(project, '.goldloop', 'notes'), { recursive: true });
  execFileSync('git', ['init', '-q', project]);
  await writeFile(join(home, 'secret.txt'), 'the secret');
  await mkdir(join(home, '.claude'));
  await writeFile(join(home, '.claude.json'), '{"n":1}');
  await mkdir(join(home, '.config', 'goldloop-nodejs'), { recursive: true });
  await writeFile(join(home, '.config', 'goldloop-nodejs', 'settings.json'), '{"notify":true}');
  await mkdir(join(project, 'cfg'));
  await writeFile(join(project, 'cfg', 'settings.json'), '{"notify":true}');
  policy = await resolvePolicy({
    project,
    make: ['.goldloop', '.git/hooks', '.git/info', '.goldloop/notes'],
    pinned: ['.git'],
    readOnly: ['.goldloop', '.git/config', '.git/hooks', '.git/info'],
    writable: ['.goldloop/notes'],
    home,
    ownFolders: [join(home, '.claude')],
    ownFiles: [join(home, '.claude.json')],
    hidden: [join(home, '.config', 'goldloop-nodejs'), join(project, 'cfg')],
  });
});

/**
 * A shell command that starts a daemon in a session of its own and waits until it runs there (out
 * of its parent's process group: ending the group cannot reach it), `file` saying so.
 */
const daemon = (file: string): string =>
  `setsid sh -c 'echo up > "${file}"; exec sleep 30' & while [ ! -s "${file}" ]; do sleep 0.05; done`;

/** Runs a shell script in the sandbox, in the project; `env` is added to the environment. */
function inSandbox(script: string, options: { env?: Record<string, string>; signal?: AbortSignal } = {}): Promise<RunResult> {
  const { argv, copies } = wrapInSandbox(SANDBOX, policy, ['sh', '-c', script], policy.project);
  return runProcess(argv, { cwd: project, files: copies, ...options });
}

/** The output of a script that tries each command in turn and says `ok` or `refused` for each. */
async function attempts(commands: Record<string, string>): Promise<Record<string, string>> {
  const script = Object.entries(commands)
    .map(([name, command]) => `if ${command} 2>/dev/null; then echo "${name}: ok"; else echo "${name}: refused"; fi`)
    .join('\n');
  const result = await inSandbox(script);
  return Object.fromEntries(result.stdoutTail.map((l) => l.split(': ') as [string, string]));
}

describe.skipIf(noBubblewrap('sandbox.test.ts'))('a program in the bubblewrap sandbox', () => {
  it('writes the project, not Goldloop’s folder in it (but its notes), nor .git’s config, hooks and info', async () => {
    expect(
      await attempts({
        project: 'echo x > src.txt',
        goldloop: 'echo x > .goldloop/state.json',
        notes: 'echo x > .goldloop/notes/next.md',
        hook: 'echo x > .git/hooks/post-commit',
        config: 'git config core.fsmonitor "touch /tmp/pwned"',
        attributes: 'echo "* -diff" > .git/info/attributes',
        objects: 'touch .git/objects/x',
        'rename .git': 'mv .git .git-old',
        'rename .goldloop': 'mv .goldloop .goldloop-old',
      }),
    ).toEqual({
      project: 'ok',
      goldloop: 'refused',
      notes: 'ok',
      hook: 'refused',
      config: 'refused',
      attributes: 'refused',
      objects: 'ok',
      'rename .git': 'refused',
      'rename .goldloop': 'refused',
    });
    expect(existsSync(join(project, '.git', 'hooks', 'post-commit'))).toBe(false);
    expect(await readFile(join(project, '.git', 'config'), 'utf8')).not.toContain('fsmonitor');
    expect(existsSync(join(project, '.goldloop', 'notes', 'next.md'))).toBe(true);
  });

  it('sees nothing of home but the CLI’s own paths, and the project under it', async () => {
    const result = await inSandbox(
      'cat "$H/secret.txt" 2>/dev/null || echo no-secret; ls -A "$H" | tr "\\n" " "; echo; cat "$H/.claude.json"; echo; ' +
        'echo session > "$H/.claude/session.jsonl"; echo \'{"n":2}\' > "$H/.claude.json"; echo scratch > "$H/scratch"',
      { env: { H: home } },
    );
    expect(result.stdoutTail[0]).toBe('no-secret');
    // The project's parent (work), the CLI's folder and file, the folder hidden in it (.config, empty).
    expect(result.stdoutTail[1]!.trim().split(' ').sort()).toEqual(['.claude', '.claude.json', '.config', 'work']);
    expect(result.stdoutTail[2]).toBe('{"n":1}');
    // Its own folder is kept; its file is a copy; anything else it wrote in home is gone.
    expect(await readFile(join(home, '.claude', 'session.jsonl'), 'utf8')).toBe('session\n');
    expect(await readFile(join(home, '.claude.json'), 'utf8')).toBe('{"n":1}');
    expect(existsSync(join(home, 'scratch'))).toBe(false);
  });

  it('hides Goldloop’s config folder, also when it lies in the writable project', async () => {
    const result = await inSandbox(
      'ls -A "$H/.config/goldloop-nodejs" | wc -l; ls -A cfg | wc -l; echo \'{"notify":false}\' > cfg/settings.json || echo refused; echo \'{"notify":false}\' > "$H/.config/goldloop-nodejs/settings.json" || echo refused',
      { env: { H: home } },
    );
    expect(result.stdoutTail.map((l) => l.trim())).toEqual(['0', '0', 'refused', 'refused']);
    expect(await readFile(join(project, 'cfg', 'settings.json'), 'utf8')).toBe('{"notify":true}');
    expect(await readFile(join(home, '.config', 'goldloop-nodejs', 'settings.json'), 'utf8')).toBe('{"notify":true}');
  });

  it('has a /tmp of its own and a read-only system', async () => {
    const marker = `goldloop-sandbox-${process.pid}-${Date.now()}`;
    expect(
      await attempts({ tmp: `echo x > /tmp/${marker}`, etc: `echo x > /etc/${marker}`, vartmp: `echo x > /var/tmp/${marker}` }),
    ).toEqual({
      tmp: 'ok',
      etc: 'refused',
      vartmp: 'refused',
    });
    expect(existsSync(join('/tmp', marker))).toBe(false);
  });

  it('sees and signals only its own processes, and cannot undo a mount', async () => {
    const result = await inSandbox('kill -9 $PPID; echo ppid=$PPID; ls /proc | grep -c "^[0-9]"; umount cfg 2>/dev/null && echo unmounted');
    expect(result.stdoutTail[0]).toBe('ppid=1');
    // Its shell, `ls`, `grep` and bubblewrap's init: a handful, not this machine's.
    expect(Number(result.stdoutTail[1])).toBeLessThan(10);
    expect(result.stdoutTail).not.toContain('unmounted');
  });

  it('takes every process it started with it when it exits, setsid daemons included', async () => {
    const mark = { SANDBOX_TEST_MARK: `${process.pid}-${Date.now()}` };
    const result = await inSandbox(`${daemon('/tmp/daemon-up')}; (sleep 30 &) ; echo started`, { env: mark });
    expect(result.stdoutTail).toEqual(['started']);
    expect(await markedProcesses('SANDBOX_TEST_MARK', mark.SANDBOX_TEST_MARK)).toEqual([]);
  });

  it('is ended whole when the run is aborted (pause, Ctrl-C)', async () => {
    const mark = { SANDBOX_TEST_MARK: `${process.pid}-abort-${Date.now()}` };
    const abort = new AbortController();
    const running = inSandbox('setsid sh -c "sleep 30" & echo started; sleep 30', { env: mark, signal: abort.signal });
    await waitFor(async () => (await markedProcesses('SANDBOX_TEST_MARK', mark.SANDBOX_TEST_MARK)).length >= 3, 10_000, 'the sleepers');
    abort.abort();
    expect((await running).killedBy).toBe('abort');
    expect(await markedProcesses('SANDBOX_TEST_MARK', mark.SANDBOX_TEST_MARK)).toEqual([]);
  });

  it('dies with the process that started it, even one killed with SIGKILL', async () => {
    const mark = { SANDBOX_TEST_MARK: `${process.pid}-parent-${Date.now()}` };
    // No copies to hand over as file descriptors: the parent here is a plain `spawn`.
    const { argv } = wrapInSandbox(
      SANDBOX,
      { ...policy, ownFiles: [] },
      ['sh', '-c', 'setsid sh -c "sleep 30" & sleep 30'],
      policy.project,
    );
    const parent = spawn(
      process.execPath,
      [
        '-e',
        'const [f, ...a] = JSON.parse(process.argv[1]); require("child_process").spawn(f, a, { stdio: "ignore" }); setInterval(() => {}, 1000);',
        JSON.stringify(argv),
      ],
      { env: { ...process.env, ...mark }, stdio: 'ignore' },
    );
    await waitFor(async () => (await markedProcesses('SANDBOX_TEST_MARK', mark.SANDBOX_TEST_MARK)).length >= 4, 10_000, 'the sandbox');
    parent.kill('SIGKILL');
    await waitFor(
      async () => (await markedProcesses('SANDBOX_TEST_MARK', mark.SANDBOX_TEST_MARK)).length === 0,
      5_000,
      'the sandbox to end',
    );
  });
});

describe('processes found by their marker', () => {
  it('are ended, a setsid daemon outside any sandbox included', async () => {
    const value = `${process.pid}-${Date.now()}`;
    const dir = await temp.make('goldloop-leftover-');
    const result = await runProcess(['sh', '-c', `${daemon(join(dir, 'daemon-up'))}; echo started`], {
      cwd: dir,
      env: { LEFTOVER_TEST_MARK: value },
    });
    expect(result.stdoutTail).toEqual(['started']);
    // Outside a PID namespace the daemon outlives its parent and its process group...
    expect((await markedProcesses('LEFTOVER_TEST_MARK', value)).length).toBeGreaterThan(0);
    // ...until its marker finds it.
    expect(await endMarked('LEFTOVER_TEST_MARK', value)).toBeGreaterThan(0);
    await waitFor(async () => (await markedProcesses('LEFTOVER_TEST_MARK', value)).length === 0, 5_000, 'the daemon to end');
  });
});
