// A gate command of the many-projects bench: what a small project's test run costs a machine
// (about 48 MB of memory touched and 250 ms of one core), then exit 0.
import { performance } from 'node:perf_hooks';

const memory = Buffer.alloc(48 * 1024 * 1024, 1);
const until = performance.now() + 250;
let x = 0;
while (performance.now() < until) x = (x + memory[x % memory.length]) % 1_000_003;
process.exitCode = x < 0 ? 1 : 0;
