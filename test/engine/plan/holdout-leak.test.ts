import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { codexAdapter } from '../../../electron/engine/agents/codex.ts';
import { withExecutable } from '../../../electron/engine/agents/registry.ts';
import { adapterRunner } from '../../../electron/engine/agents/runner.ts';
import { keptFromAgent } from '../../../electron/engine/agents/sandbox.ts';
import { KB_FILE, loadKb } from '../../../electron/store/kb/kb-file.ts';
import { agentPath, TempDirs } from '../../helpers/project.ts';
import { noBubblewrap } from '../../helpers/sandbox.ts';
import { VISIBLE_TEMP } from '../../helpers/temp.ts';

const BIN = fileURLToPath(new URL('../../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
afterAll(() => temp.cleanup());

const SPEC = '# Shop spec\n\n- REQ-001: a cart sums its items\n- REQ-002: coupons reduce the total\n';

describe('held-out test drafts never reach a later agent', () => {
  it.skipIf(noBubblewrap('plan/holdout-leak.test.ts'))(
    "a work cycle's agent, in the sandbox, finds the drafts' text nowhere it can read: not in the project, its logs, its CLI's sessions or /tmp",
    async () => {
      const dir = await temp.make();
      const holdout = await temp.make('goldloop-holdout-', VISIBLE_TEMP);
      const codexHome = await temp.make('goldloop-codex-home-', VISIBLE_TEMP);
      const marker = `HOLDOUT-MARKER-${randomBytes(8).toString('hex')}`;
      const fake = agentPath('holdout-cli.mjs');
      await writeFile(join(dir, 'SPEC.md'), SPEC);
      expect(spawnSync(process.execPath, [BIN, 'init', dir, '--git'], { encoding: 'utf8' }).status).toBe(0);
      const kbText = JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));
      kbText.gates = { ...kbText.gates, holdout: { dir: holdout, command: [process.execPath, '--test', '{holdout}'] } };
      kbText.agent = { ...kbText.agent, type: 'codex', executable: fake };
      await writeFile(join(dir, KB_FILE), JSON.stringify(kbText));
      const env = { ...process.env, NO_COLOR: '1', CODEX_HOME: codexHome, DRAFT_MARKER: marker };
      const planned = spawnSync(process.execPath, [BIN, 'init', dir, '--plan'], { encoding: 'utf8', env, timeout: 60_000 });
      expect(planned.stderr).toBe('');
      expect(planned.status).toBe(0);
      expect(planned.stdout).toContain('Drafted 2 held-out acceptance test(s)');
      // The drafts are where the user reviews them, with the marker in their bodies.
      expect(await readFile(join(holdout, 'REQ-001.test.js'), 'utf8')).toContain(marker);

      // A later work cycle: the same CLI, in the real sandbox, with what the loop hides from it.
      const kb = await loadKb(dir);
      Object.assign(process.env, { CODEX_HOME: codexHome, DRAFT_MARKER: marker });
      const lines: string[] = [];
      const outcome = await adapterRunner(withExecutable(codexAdapter, fake, dir))({
        options: { prompt: 'Work on TASK PLAN_001.\n', promptFile: join(dir, '.goldloop', 'prompt.md'), cwd: dir, ...keptFromAgent(kb) },
        timeoutMs: 60_000,
        onLine: (line) => lines.push(line),
      });
      expect(outcome.exitCode).toBe(0);
      expect(lines.find((l) => l.startsWith('searched: '))).toMatch(/searched: [1-9]\d* files/);
      expect(lines.filter((l) => l.startsWith('found: '))).toEqual([]);
    },
  );
});
