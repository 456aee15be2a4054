import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BWRAP_ISOLATION, bwrapCommand } from '../../electron/platform/sandbox/bwrap.ts';
import type { SandboxPolicy } from '../../electron/platform/sandbox/policy.ts';
import { seatbeltProfile } from '../../electron/platform/sandbox/seatbelt.ts';
import { probeSandbox, type ProbeHost } from '../../electron/platform/sandbox.ts';

const policy = (over: Partial<SandboxPolicy> = {}): SandboxPolicy => ({
  project: '/home/u/work/shop',
  pinned: ['/home/u/work/shop/.git'],
  readOnly: ['/home/u/work/shop/.goldloop', '/home/u/work/shop/.git/hooks', '/home/u/work/shop/.git/config'],
  writable: ['/home/u/work/shop/.goldloop/notes'],
  home: '/home/u',
  programs: ['/home/u/.local/bin'],
  ownFolders: ['/home/u/.claude'],
  ownFiles: ['/home/u/.claude.json'],
  hidden: [
    { path: '/home/u/.config/goldloop-nodejs', folder: true },
    { path: '/home/u/.local/state/goldloop', folder: true },
  ],
  temp: ['/tmp'],
  ...over,
});

/** The position of a mount (flag and destination) in bubblewrap's argv; -1 when absent. */
function at(argv: string[], flag: string, path: string): number {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== flag) continue;
    if (flag === '--tmpfs' || flag === '--chdir' ? argv[i + 1] === path : argv[i + 2] === path) return i;
  }
  return -1;
}

describe('the bubblewrap command line of a policy', () => {
  const { argv, copies } = bwrapCommand('/usr/bin/bwrap', policy(), ['claude', '-p'], '/home/u/work/shop');

  it('isolates PIDs, dies with Goldloop, leaves the terminal session and drops every capability', () => {
    expect(argv[0]).toBe('/usr/bin/bwrap');
    expect(argv.slice(1, 1 + BWRAP_ISOLATION.length)).toEqual([
      '--unshare-pid',
      '--unshare-ipc',
      '--die-with-parent',
      '--new-session',
      '--cap-drop',
      'ALL',
    ]);
    expect(argv).not.toContain('--unshare-net');
  });

  it('mounts the system read-only first, then hides /tmp and home, then shows what lies in them', () => {
    expect(at(argv, '--ro-bind', '/')).toBeGreaterThan(0);
    expect(at(argv, '--ro-bind', '/')).toBeLessThan(at(argv, '--tmpfs', '/tmp'));
    expect(at(argv, '--tmpfs', '/tmp')).toBeLessThan(at(argv, '--tmpfs', '/home/u'));
    expect(at(argv, '--tmpfs', '/home/u')).toBeLessThan(at(argv, '--ro-bind', '/home/u/.local/bin'));
    expect(at(argv, '--tmpfs', '/home/u')).toBeLessThan(at(argv, '--bind', '/home/u/.claude'));
  });

  it('keeps the project visible and writable when it lies under home', () => {
    expect(at(argv, '--tmpfs', '/home/u')).toBeLessThan(at(argv, '--bind', '/home/u/work/shop'));
  });

  it('keeps the project visible when it lies under /tmp', () => {
    const inTmp = bwrapCommand(
      '/usr/bin/bwrap',
      policy({ project: '/tmp/shop', pinned: [], readOnly: [], writable: [] }),
      ['x'],
      '/tmp/shop',
    );
    expect(at(inTmp.argv, '--tmpfs', '/tmp')).toBeLessThan(at(inTmp.argv, '--bind', '/tmp/shop'));
  });

  it('pins .git, then makes the protected parts read-only after the project, then the notes writable again', () => {
    const project = at(argv, '--bind', '/home/u/work/shop');
    expect(project).toBeLessThan(at(argv, '--bind', '/home/u/work/shop/.git'));
    expect(at(argv, '--bind', '/home/u/work/shop/.git')).toBeLessThan(at(argv, '--ro-bind', '/home/u/work/shop/.git/hooks'));
    expect(project).toBeLessThan(at(argv, '--ro-bind', '/home/u/work/shop/.goldloop'));
    expect(at(argv, '--ro-bind', '/home/u/work/shop/.goldloop')).toBeLessThan(at(argv, '--bind', '/home/u/work/shop/.goldloop/notes'));
    expect(at(argv, '--ro-bind', '/home/u/work/shop/.git/config')).toBeGreaterThan(project);
  });

  it("hides Goldloop's folders last, so they stay hidden under any visible path", () => {
    const hidden = at(argv, '--tmpfs', '/home/u/.config/goldloop-nodejs');
    for (const [flag, path] of [
      ['--bind', '/home/u/work/shop'],
      ['--bind', '/home/u/.claude'],
      ['--ro-bind', '/home/u/.local/bin'],
      ['--bind', '/home/u/work/shop/.goldloop/notes'],
    ] as const)
      expect(at(argv, flag, path)).toBeLessThan(hidden);
    expect(at(argv, '--tmpfs', '/home/u/.local/state/goldloop')).toBeGreaterThan(hidden);
    // Even one inside the project (the writable part) is mounted over.
    const inside = bwrapCommand('/usr/bin/bwrap', policy({ hidden: [{ path: '/home/u/work/shop/cfg', folder: true }] }), ['x'], '/');
    expect(at(inside.argv, '--tmpfs', '/home/u/work/shop/cfg')).toBeGreaterThan(at(inside.argv, '--bind', '/home/u/work/shop'));
  });

  it('hides a folder behind an empty one that refuses writes', () => {
    const i = at(argv, '--tmpfs', '/home/u/.config/goldloop-nodejs');
    expect(argv.slice(i, i + 4)).toEqual(['--tmpfs', '/home/u/.config/goldloop-nodejs', '--remount-ro', '/home/u/.config/goldloop-nodejs']);
  });

  it('hides a file by mounting /dev/null over it', () => {
    const file = bwrapCommand('/usr/bin/bwrap', policy({ hidden: [{ path: '/etc/goldloop.json', folder: false }] }), ['x'], '/');
    const i = file.argv.indexOf('/etc/goldloop.json');
    expect(file.argv.slice(i - 2, i + 1)).toEqual(['--ro-bind', '/dev/null', '/etc/goldloop.json']);
  });

  it("shows the CLI's own files as copies, handed over as file descriptors from 3", () => {
    expect(copies).toEqual(['/home/u/.claude.json']);
    const i = argv.indexOf('--file');
    expect(argv.slice(i, i + 3)).toEqual(['--file', '3', '/home/u/.claude.json']);
    expect(i).toBeGreaterThan(at(argv, '--tmpfs', '/home/u'));
  });

  it('runs the program last, in the working folder', () => {
    expect(argv.slice(-5)).toEqual(['--chdir', '/home/u/work/shop', '--', 'claude', '-p']);
  });

  it('leaves home alone when there is none', () => {
    const { home: _home, ...rest } = policy();
    expect(bwrapCommand('/usr/bin/bwrap', rest, ['x'], '/').argv).not.toContain('/home/u');
  });
});

describe('the Seatbelt profile of a policy', () => {
  const profile = seatbeltProfile(policy());
  const line = (text: string): number => {
    const i = profile.split('\n').indexOf(text);
    expect(i, `${text} in\n${profile}`).toBeGreaterThanOrEqual(0);
    return i;
  };

  it('lets signals reach only the processes of its own sandbox', () => {
    expect(line('(deny signal)')).toBeLessThan(line('(allow signal (target same-sandbox))'));
  });

  it('denies every write, then allows the project, the temp folders and the CLI’s own paths, then denies Goldloop’s parts again', () => {
    const denyAll = line('(deny file-write*)');
    const allow = line(
      '(allow file-write* (subpath "/dev") (subpath "/tmp") (subpath "/home/u/.claude") (regex #"^/home/u/\\.claude\\.json([.][^/]*)?$") (subpath "/home/u/work/shop"))',
    );
    const pinned = line('(deny file-write* (literal "/home/u/work/shop") (literal "/home/u/work/shop/.git"))');
    const readOnly = line(
      '(deny file-write* (subpath "/home/u/work/shop/.goldloop") (subpath "/home/u/work/shop/.git/hooks") (subpath "/home/u/work/shop/.git/config"))',
    );
    const notes = line('(allow file-write* (subpath "/home/u/work/shop/.goldloop/notes"))');
    expect([denyAll, allow, pinned, readOnly, notes]).toEqual([...[denyAll, allow, pinned, readOnly, notes]].sort((a, b) => a - b));
  });

  it('hides home, then shows the programs, the CLI’s paths and the project in it', () => {
    const home = line('(deny file-read* (subpath "/home/u"))');
    const shown = line(
      '(allow file-read* (subpath "/home/u/.local/bin") (subpath "/home/u/.claude") (regex #"^/home/u/\\.claude\\.json([.][^/]*)?$") (subpath "/home/u/work/shop"))',
    );
    expect(home).toBeLessThan(shown);
  });

  it("hides Goldloop's folders last, from reading and writing", () => {
    const lines = profile.trim().split('\n');
    expect(lines.at(-1)).toBe(
      '(deny file-read* file-write* (subpath "/home/u/.config/goldloop-nodejs") (subpath "/home/u/.local/state/goldloop"))',
    );
  });

  it('quotes paths with quotes and backslashes, and escapes them in patterns', () => {
    const odd = seatbeltProfile(policy({ project: '/w/a "b"\\c', ownFiles: ['/h/x+y.json'] }));
    expect(odd).toContain('(subpath "/w/a \\"b\\"\\\\c")');
    expect(odd).toContain('(regex #"^/h/x\\+y\\.json([.][^/]*)?$")');
  });
});

describe('finding the sandbox', () => {
  // A stand-in `bwrap` on PATH: the probe's runs are the host's `run`.
  let bin = '';
  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), 'goldloop-bwrap-'));
    await writeFile(join(bin, 'bwrap'), '#!/bin/sh\n', { mode: 0o755 });
  });
  afterAll(() => rm(bin, { recursive: true, force: true }));

  const host = (over: Partial<ProbeHost>): ProbeHost => ({
    platform: 'linux',
    path: '/usr/bin:/bin',
    run: () => ({ code: 0, output: 'bubblewrap 0.8.0' }),
    ...over,
  });

  it('says bubblewrap is not installed, and how to install it', () => {
    expect(probeSandbox(host({ path: '/nowhere' })).status).toEqual({
      kind: 'none',
      why: expect.stringContaining('bubblewrap is not installed (Debian and Ubuntu: apt install bubblewrap'),
      leftovers: 'marker',
    });
  });

  it('finds bubblewrap on PATH, runs `true` in it with the isolation every run gets, and reads its version', () => {
    const ran: string[][] = [];
    const probed = probeSandbox(
      host({
        path: `/nowhere:${bin}`,
        run: (argv) => (ran.push(argv), { code: 0, output: argv.includes('--version') ? 'bubblewrap 0.8.0' : '' }),
      }),
    );
    expect(probed).toEqual({ status: { kind: 'bubblewrap', version: '0.8.0' }, program: join(bin, 'bwrap') });
    expect(ran[0]).toEqual([
      join(bin, 'bwrap'),
      ...BWRAP_ISOLATION,
      '--ro-bind',
      '/',
      '/',
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--tmpfs',
      '/tmp',
      'true',
    ]);
  });

  it('says a bubblewrap that cannot make a sandbox (no user namespaces) does not protect', () => {
    const probed = probeSandbox(host({ path: bin, run: () => ({ code: 1, output: 'bwrap: setting up uid map: Permission denied' }) }));
    expect(probed.status).toMatchObject({ kind: 'none', leftovers: 'marker' });
    expect(probed.status.kind === 'none' && probed.status.why).toContain(
      '(bwrap: setting up uid map: Permission denied); user namespaces may be off',
    );
  });

  it('says Windows has none, and that only the process tree is ended there', () => {
    expect(probeSandbox(host({ platform: 'win32' })).status).toEqual({
      kind: 'none',
      why: 'Windows has no sandbox Goldloop can use yet',
      leftovers: 'tree',
    });
  });

  it('finds Seatbelt on macOS by running a program in it', () => {
    const ran: string[][] = [];
    const probed = probeSandbox(host({ platform: 'darwin', run: (argv) => (ran.push(argv), { code: 0, output: '' }) }));
    expect(probed).toEqual({ status: { kind: 'seatbelt' }, program: '/usr/bin/sandbox-exec' });
    expect(ran[0]).toEqual(['/usr/bin/sandbox-exec', '-p', '(version 1)(allow default)', '/usr/bin/true']);
  });
});
