// The no-op program both loops run as their agent and their gate command: start, read stdin, exit 0.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
