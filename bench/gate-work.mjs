// A gate command of the many-projects bench: what a small project's test run costs a machine
// (about 48 MB of memory touched and 250 ms of one core's time), then exit 0. The work is fixed
// in CPU time, not wall time: twenty of them at once take ten times as long on two cores, as
// twenty test runs would, instead of each doing a tenth of the work.
const memory = Buffer.alloc(48 * 1024 * 1024, 1);
const start = process.cpuUsage();
const cpuMs = () => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
let x = 0;
while (cpuMs() < 250) for (let i = 0; i < 10_000; i++) x = (x + memory[x % memory.length]) % 1_000_003;
process.exitCode = x < 0 ? 1 : 0;
