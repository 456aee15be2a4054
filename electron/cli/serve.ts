import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { packageFile } from '../platform/package-root.ts';
import { assertLoopback, HostRefusedError } from '../server/http/auth.ts';
import { assertDashboardBuilt, DashboardMissingError, startServer } from '../server/http/server.ts';
import { openSupervisor } from '../server/supervisor.ts';

/** Vite's output for the dashboard, built by `npm run build:renderer` (run by `npm ci` through `prepare`). */
export const DASHBOARD_DIR = packageFile('dist', 'renderer');
const SOURCES = [packageFile('renderer'), packageFile('electron', 'contract')];

export interface ServeFlags {
  port: number;
  host: string;
  configDir?: string;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(path) : (await stat(path)).mtimeMs);
  }
  return newest;
}

/** A developer who edited the dashboard and forgot to rebuild would otherwise see the old one. */
async function staleBuildNote(): Promise<string | undefined> {
  const built = await stat(join(DASHBOARD_DIR, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = Math.max(...(await Promise.all(SOURCES.map(newestMtime))));
  return sources > built
    ? 'note: the dashboard build is older than its sources; run `npm run build:renderer` to see your changes'
    : undefined;
}

/**
 * `goldloop serve`: the engine for every registered project, and the dashboard on 127.0.0.1 at a
 * URL with a fresh token. Runs until SIGINT/SIGTERM, then pauses running projects (their agents'
 * process trees end, state is saved) and exits. Resolves with the exit code.
 */
export async function serve(
  flags: ServeFlags,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  try {
    assertLoopback(flags.host);
    await assertDashboardBuilt(DASHBOARD_DIR);
  } catch (error) {
    if (error instanceof HostRefusedError || error instanceof DashboardMissingError) {
      err.write(`goldloop: ${error.message}\n`);
      return error instanceof HostRefusedError ? 2 : 1;
    }
    throw error;
  }
  const configDir = flags.configDir ?? process.env.GOLDLOOP_CONFIG_DIR;
  const warn = (message: string): void => void process.stderr.write(`goldloop: ${message}\n`);
  const supervisor = await openSupervisor({ ...(configDir ? { configDir } : {}), warn });
  let server;
  try {
    server = await startServer({ supervisor, port: flags.port, host: flags.host, staticDir: DASHBOARD_DIR });
  } catch (error) {
    await supervisor.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      err.write(
        `goldloop: port ${flags.port} is in use (another goldloop serve?): pick another with --port, or --port 0 for any free one\n`,
      );
      return 1;
    }
    throw error;
  }
  const projects = (await supervisor.api.listProjects({})).length;
  const note = await staleBuildNote();
  out.write(
    `Goldloop dashboard: ${server.url}\n` +
      `  ${projects} project(s) registered in ${supervisor.configPath}\n` +
      `  Open the URL above (it carries this session's token). Ctrl-C pauses running projects and exits.\n` +
      (note ? `  ${note}\n` : ''),
  );
  await new Promise<void>((resolve) => {
    const onSignal = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      err.write('\nPausing running projects and closing the dashboard...\n');
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await supervisor.close();
  await server.close();
  return 0;
}
