// Reading V8's raw coverage (NODE_V8_COVERAGE) for the project's sources a test called: only the
// project's own scripts are looked into, a call of the module's top level alone does not count, and
// a file or a script that is not V8's shape is passed over.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sourcesCalled } from '../../../../electron/engine/gates/pertest/v8.ts';
import { TempDirs } from '../../../helpers/project.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

const range = (startOffset: number, count: number) => ({ startOffset, endOffset: startOffset + 10, count });
const fn = (functionName: string, ...ranges: ReturnType<typeof range>[]) => ({ functionName, isBlockCoverage: true, ranges });

async function coverage(files: Record<string, unknown>): Promise<{ project: string; dir: string }> {
  const project = await temp.make('goldloop-v8-');
  const dir = join(project, 'v8');
  await mkdir(dir);
  for (const [name, content] of Object.entries(files))
    await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return { project, dir };
}

describe('sourcesCalled', () => {
  it("names the project's sources with a function called besides the top level, whatever node's own scripts hold", async () => {
    const project = await temp.make('goldloop-v8-');
    const url = (path: string): string => pathToFileURL(join(project, path)).href;
    const { dir } = await coverage({});
    const result = [
      // Node's own modules: never looked into, so a shape V8 may change there does not matter.
      { scriptId: '1', url: 'node:internal/fs/utils', functions: 'not an array' },
      { scriptId: '2', url: url('src/called.js'), functions: [fn('', range(0, 1)), fn('slugify', range(40, 3))] },
      { scriptId: '3', url: url('src/imported-only.js'), functions: [fn('', range(0, 1)), fn('unused', range(40, 0))] },
      { scriptId: '4', url: url('src/called.test.js'), functions: [fn('', range(0, 1)), fn('t', range(30, 1))] },
      { scriptId: '5', url: url('node_modules/dep/index.js'), functions: [fn('', range(0, 1)), fn('x', range(30, 1))] },
      // One of the project's scripts that is not V8's shape: passed over, the others still read.
      { scriptId: '6', url: url('src/broken.js'), functions: [{ functionName: 'f', ranges: 'none' }] },
    ];
    await writeFile(join(dir, 'coverage-1.json'), JSON.stringify({ result }));
    await writeFile(join(dir, 'coverage-2.json'), '{ not json');
    expect(await sourcesCalled(dir, project)).toEqual(['src/called.js']);
  });

  it('says nothing was written when the folder holds no coverage file', async () => {
    const { project, dir } = await coverage({ 'notes.txt': 'hello' });
    expect(await sourcesCalled(dir, project)).toBeUndefined();
    expect(await sourcesCalled(join(project, 'missing'), project)).toBeUndefined();
  });

  it('passes over a file whose result is not a list of scripts', async () => {
    const { project, dir } = await coverage({ 'coverage-1.json': { result: [{ functions: [] }] } });
    expect(await sourcesCalled(dir, project)).toEqual([]);
  });
});
