/**
 * Processes found by a marker in their environment (`NAME=value`), and ended. Where no PID
 * namespace ends what a program started, a random marker set in its environment finds the
 * processes it left — a `setsid` daemon or a double-forked child is in no process group of ours.
 * A process that clears or rewrites its environment is not found: say so wherever this is relied on.
 * Linux reads /proc/<pid>/environ; macOS asks `ps`; elsewhere nothing is found.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/** The pids of the processes (other than this one) whose environment holds `name=value`. */
export async function markedProcesses(name: string, value: string, platform: NodeJS.Platform = process.platform): Promise<number[]> {
  const marker = `${name}=${value}`;
  if (platform === 'linux') {
    const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e)).map(Number);
    const found = await Promise.all(
      pids.map(async (pid) => {
        if (pid === process.pid) return undefined;
        // Gone meanwhile, or another user's (EACCES): not ours to end.
        const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
        return environ.split('\0').includes(marker) ? pid : undefined;
      }),
    );
    return found.filter((pid): pid is number => pid !== undefined);
  }
  if (platform === 'darwin') {
    // `ps -E` appends each process's environment to its command line (the user's own processes).
    const { stdout } = await promisify(execFile)('ps', ['-axwwE', '-o', 'pid=,command='], { maxBuffer: 64 << 20 }).catch(() => ({
      stdout: '',
    }));
    return stdout
      .split('\n')
      .filter((line) => line.includes(` ${marker}`))
      .map((line) => Number.parseInt(line.trim(), 10))
      .filter((pid) => Number.isInteger(pid) && pid !== process.pid);
  }
  return [];
}

/**
 * Ends (SIGKILL) every process marked `name=value`, again while new ones appear (a process may
 * fork while its siblings are ended), at most `rounds` times. Returns how many were ended.
 */
export async function endMarked(name: string, value: string, rounds = 5): Promise<number> {
  let ended = 0;
  for (let round = 0; round < rounds; round++) {
    const pids = await markedProcesses(name, value);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        ended++;
      } catch {
        // Gone already.
      }
    }
  }
  return ended;
}
