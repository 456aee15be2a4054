// The peak resident memory of a process and everything under it (Linux: /proc), sampled every
// 100 ms from this separate process, so the sampling does not hold the measured process's event
// loop. `node bench/tree-rss.mjs <pid> [pid to leave out...]`; prints the peak in MiB when its stdin closes.
import { processTree } from './proc-tree.mjs';

const root = Number(process.argv[2]);
const except = new Set([process.pid, ...process.argv.slice(3).map(Number)]);
let peak = 0;

const treeRss = () => processTree(root, except).reduce((sum, p) => sum + p.rssMiB, 0);

const timer = setInterval(() => (peak = Math.max(peak, treeRss())), 100);
process.stdin.on('end', () => {
  clearInterval(timer);
  process.stdout.write(String(Math.max(peak, treeRss())));
  process.exit(0);
});
process.stdin.resume();
