// What each command loads from the CLI bundle (out/cli, built by the global setup as `npm ci`
// builds it): recorded by a module hook in a real `goldloop` process, then named by the source
// comments esbuild leaves above each module. `--help` loads the entry alone; `status` loads
// neither the gate parsers, the server nor the agents, and of zod's locales only English.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoProject } from '../../electron/engine/demo/project.ts';
import { TempDirs } from '../helpers/project.ts';

const BIN = fileURLToPath(new URL('../../bin/goldloop.js', import.meta.url));
const temp = new TempDirs();
afterAll(() => temp.cleanup());

/** The bundle files one `goldloop` run loaded, and the sources inside them. */
async function loads(args: string[]): Promise<{ files: string[]; sources: string[] }> {
  const dir = await temp.make('goldloop-loads-');
  const record = join(dir, 'loaded.txt');
  const hooks = join(dir, 'hooks.mjs');
  await writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(record)}, url + '\\n');
  return next(url, context);
}`,
  );
  const register = join(dir, 'register.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GOLDLOOP_FROM_SOURCE: '' },
  });
  expect(r.status, r.stderr).toBe(0);
  const files = [...new Set(readFileSync(record, 'utf8').trim().split('\n'))]
    .map((u) => fileURLToPath(u))
    .filter((f) => f.includes(`${join('out', 'cli')}`));
  const sources = files.flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/^\/\/ ((?:electron|node_modules)\/\S+)$/gm)].map((m) => m[1]!),
  );
  return { files, sources: [...new Set(sources)] };
}

describe('what a command loads from the bundle', () => {
  it('--help loads the command line and the contract, and no engine, store or server code', async () => {
    const { files, sources } = await loads(['--help']);
    expect(files.map((f) => f.split(/[\\/]/).pop())).toContain('main.mjs');
    const unwanted = sources.filter(
      (s) => !/^electron\/(cli|contract)\/|^electron\/platform\/terminal-text\.ts$|^node_modules\/commander\//.test(s),
    );
    expect(unwanted).toEqual([]);
  });

  it('status loads its own code: no gate parser (their shared types aside), no server, no agents, and zod in English only', async () => {
    const project = await temp.make('goldloop-loads-demo-');
    await createDemoProject(project);
    const { sources } = await loads(['status', project]);
    // It did load what status needs, so the recording works.
    expect(sources).toEqual(expect.arrayContaining(['electron/engine/project/status.ts', 'electron/store/kb/kb-file.ts']));
    const unwanted = sources.filter((s) =>
      /^electron\/(engine\/gates\/parsers\/(?!severity|types)|engine\/agents\/|server\/)|^node_modules\/(fast-xml-parser|ws)\//.test(s),
    );
    expect(unwanted).toEqual([]);
    expect(sources.filter((s) => s.startsWith('node_modules/zod/v4/locales/'))).toEqual(['node_modules/zod/v4/locales/en.js']);
  });
});
