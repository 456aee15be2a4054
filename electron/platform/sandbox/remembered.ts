/**
 * The sandbox probe as a report shows it (`goldloop status`), remembered in the state folder for as
 * long as nothing it depends on has changed: the sandbox program (path, size, time), the boot, the
 * user and, on Linux, the kernel's user-namespace switches. Running bubblewrap to see that it works
 * costs 10–20 ms of the 230 a status takes. Only a report uses it: the loop probes for real before
 * an agent runs, so a stale memory can only word a status line, never run an agent unsandboxed.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where the memory is kept, and what the machine looks like now (`probeKey`). */
export interface ProbeMemory {
  file: string;
  key: string;
}

const USERNS_SWITCHES = [
  '/proc/sys/kernel/unprivileged_userns_clone',
  '/proc/sys/user/max_user_namespaces',
  '/proc/sys/kernel/apparmor_restrict_unprivileged_userns',
  '/proc/sys/kernel/random/boot_id',
];

const readOr = (path: string): string => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
};

/** What a probe of `program` depends on, as one string; undefined when the program is not there. */
export function probeKey(program: string, platform: NodeJS.Platform = process.platform): string | undefined {
  let s;
  try {
    s = statSync(program);
  } catch {
    return undefined;
  }
  const machine = platform === 'linux' ? USERNS_SWITCHES.map(readOr) : [];
  return JSON.stringify([platform, process.getuid?.() ?? '', program, s.size, s.mtimeMs, s.ino, ...machine]);
}

/** The remembered probe when its key still holds; else `probe()`, remembered when it found a sandbox. */
export function rememberedProbe<T extends { status: { kind: string } }>(probe: () => T, memory: ProbeMemory | undefined): T {
  if (!memory) return probe();
  try {
    const saved = JSON.parse(readFileSync(memory.file, 'utf8')) as { key?: unknown; sandbox?: T };
    if (saved.key === memory.key && typeof saved.sandbox?.status?.kind === 'string' && saved.sandbox.status.kind !== 'none')
      return saved.sandbox;
  } catch {
    // None yet, or unreadable: probe.
  }
  const sandbox = probe();
  if (sandbox.status.kind === 'none') return sandbox;
  try {
    mkdirSync(dirname(memory.file), { recursive: true, mode: 0o700 });
    const part = `${memory.file}.${process.pid}.tmp`;
    writeFileSync(part, `${JSON.stringify({ key: memory.key, sandbox })}\n`);
    renameSync(part, memory.file);
  } catch {
    // A read-only state folder: the next report probes again.
  }
  return sandbox;
}
