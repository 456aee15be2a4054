// The peak resident memory of a process and everything under it (Linux: /proc), sampled every
// 100 ms from this separate process, so the sampling does not hold the measured process's event
// loop. `node bench/tree-rss.mjs <pid> [pid to leave out...]`; prints the peak in MiB when its stdin closes.
import { readdirSync, readFileSync } from 'node:fs';

const root = Number(process.argv[2]);
const except = new Set([process.pid, ...process.argv.slice(3).map(Number)]);
const PAGE = 4096;
let peak = 0;

function treeRss() {
  const parent = new Map();
  const rss = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || except.has(Number(name))) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(fields[1]));
      rss.set(Number(name), Number(fields[21]) * PAGE);
    } catch {
      // Ended meanwhile.
    }
  }
  const under = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) if (p === root) return true;
    return false;
  };
  let total = 0;
  for (const [pid, bytes] of rss) if (under(pid)) total += bytes;
  return total / 2 ** 20;
}

const timer = setInterval(() => (peak = Math.max(peak, treeRss())), 100);
process.stdin.on('end', () => {
  clearInterval(timer);
  process.stdout.write(String(Math.max(peak, treeRss())));
  process.exit(0);
});
process.stdin.resume();
