/** `goldloop serve`: the flags of the loopback dashboard server; the server itself is ../serve.ts. */
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';

export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'serve the dashboard for every registered project on 127.0.0.1 only, at a URL that carries a fresh random token; Ctrl-C pauses running projects and exits',
    )
    .option(
      '--port <n>',
      'the port (0 picks a free one)',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`"${v}" is not a port number (0-65535)`);
        return n;
      },
      4717,
    )
    .option(
      '--host <address>',
      'the address to listen on; only 127.0.0.1 is accepted (use an SSH tunnel to watch from elsewhere)',
      '127.0.0.1',
    )
    .option('--config-dir <path>', 'where the list of projects is kept (default: $GOLDLOOP_CONFIG_DIR, else the user config folder)')
    .action(async (opts: { port: number; host: string; configDir?: string }) => {
      const { serve } = await import('../serve.ts');
      process.exitCode = await serve({
        port: opts.port,
        host: opts.host,
        ...(opts.configDir ? { configDir: resolve(opts.configDir) } : {}),
      });
    });
}
