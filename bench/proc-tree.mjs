// One reading of /proc (Linux): every process under `root` (itself included) with its resident
// memory and the CPU time it has used so far. bench/tree-rss.mjs (the sampler many-projects.ts runs
// beside its fleet) and bench/idle.ts both measure with it.
import { readdirSync, readFileSync } from 'node:fs';

const PAGE = 4096;
const TICKS = 100; // USER_HZ

/** @type {import('./proc-tree.d.mts').processTree} */
export function processTree(root, except = new Set()) {
  const procs = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || except.has(Number(name))) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), {
        parent: Number(fields[1]),
        rssMiB: (Number(fields[21]) * PAGE) / 2 ** 20,
        cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS,
      });
    } catch {
      // Ended meanwhile.
    }
  }
  const under = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = procs.get(p)?.parent ?? 0, hops++) if (p === root) return true;
    return false;
  };
  return [...procs].filter(([pid]) => under(pid)).map(([pid, { rssMiB, cpuSeconds }]) => ({ pid, rssMiB, cpuSeconds }));
}
