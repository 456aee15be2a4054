import { afterAll, afterEach, beforeAll } from 'vitest';
import { openSupervisor, type Supervisor } from '../../electron/server/supervisor.ts';
import { TempDirs } from './project.ts';

/**
 * Supervisors for a test file, each over its own registry in a temp folder: the demo agent runs
 * without its pacing, every supervisor is closed after its test (its runs paused), and the temp
 * folders go at the end. Call once, at the top of the file; `afterEach` runs after the closing.
 */
export function useSupervisors(afterEach_?: () => void): {
  temp: TempDirs;
  supervisor: (options?: Parameters<typeof openSupervisor>[0]) => Promise<Supervisor>;
} {
  const temp = new TempDirs();
  const open: Supervisor[] = [];
  let previousPace: string | undefined;
  beforeAll(() => {
    previousPace = process.env.GOLDLOOP_DEMO_PACE_MS;
    process.env.GOLDLOOP_DEMO_PACE_MS = '0';
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    afterEach_?.();
  });
  afterAll(async () => {
    if (previousPace === undefined) delete process.env.GOLDLOOP_DEMO_PACE_MS;
    else process.env.GOLDLOOP_DEMO_PACE_MS = previousPace;
    await temp.cleanup();
  });
  const supervisor = async (options: Parameters<typeof openSupervisor>[0] = {}): Promise<Supervisor> => {
    const s = await openSupervisor({ configDir: await temp.make('goldloop-config-'), statusDelayMs: 20, ...options });
    open.push(s);
    return s;
  };
  return { temp, supervisor };
}
