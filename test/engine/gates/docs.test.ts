import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateChecklist } from '../../../electron/engine/gates/checklist/checklist.ts';
import { checkDocs } from '../../../electron/engine/gates/docs.ts';
import { KbSchema } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

describe('the documentation line', () => {
  it('says a document named outside the project is outside it, not missing, and never reads it', async () => {
    const dir = await temps.make('goldloop-docs-');
    await writeFile(join(dir, 'README.md'), '# done\n');
    const config = { enabled: true, files: ['README.md'], markers: ['TODO'] };
    const check = await checkDocs(dir, config, ['../elsewhere.md', '/etc/hostname', 'GONE.md']);
    expect(check.files.map((f) => [f.file, f.outside ?? false, f.missing ?? false])).toEqual([
      ['README.md', false, false],
      ['../elsewhere.md', true, true],
      ['/etc/hostname', true, true],
      ['GONE.md', false, true],
    ]);
    const kb = KbSchema.parse({ gates: { docs: config } });
    const line = evaluateChecklist(kb, { at: new Date().toISOString(), durationMs: 1, docs: check }).checklist.find(
      (c) => c.id === 'docs',
    )!;
    expect(line.passed).toBe(false);
    expect(line.evidence.detail).toContain("../elsewhere.md is outside the project (the docs gate reads only the project's own files)");
    expect(line.evidence.detail).toContain('GONE.md is missing');
    expect(line.evidence.detail).not.toContain('/etc/hostname is missing');
  });
});
