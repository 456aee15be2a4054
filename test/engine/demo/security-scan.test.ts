// The demo's security gate: Goldloop's own ESLint with eslint-plugin-security, run over the demo
// project (which has no node_modules), reported as SARIF. Clean on honest code; failing, with the
// file and line, on code with a real finding, whatever the project or its comments say.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoKb, demoSecurityGate, demoSecurityNote, eslintBin } from '../../../electron/engine/demo/project.ts';
import { runGates } from '../../../electron/engine/gates/phase.ts';
import { parseSarif } from '../../../electron/engine/gates/parsers/sarif.ts';
import { KbSchema } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/project.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

/** The demo's checklist line for security alone, measured now. */
async function securityLine(dir: string) {
  const kb = KbSchema.parse({ ...demoKb(), gates: { security: demoKb().gates!.security } });
  const run = await runGates({ projectDir: dir, kb, label: 'security-test' });
  return run.checklist.find((c) => c.id === 'security')!;
}

const RISKY = `import { exec } from 'node:child_process';

export function run(input) {
  return eval(input);
}

export const matcher = (pattern) => new RegExp(pattern);

export function shell(cmd) {
  exec(cmd);
}
`;

describe("the demo's security gate", () => {
  it("measures with Goldloop's own ESLint here, where the dev dependencies are installed", () => {
    expect(eslintBin()).toMatch(/eslint[\\/]bin[\\/]eslint\.js$/);
    expect(demoSecurityNote()).toBeUndefined();
    expect(demoKb().gates!.security).toMatchObject({ report: { format: 'sarif' }, fail_on: 'high' });
    expect(demoKb().gates!.security!.enabled).not.toBe(false);
  });

  it('passes on the demo as created, with the SARIF report kept as evidence', async () => {
    const dir = await temps.demo();
    const line = await securityLine(dir);
    expect(line).toMatchObject({ passed: true, value: 0 });
    expect(line.evidence.detail).toBe('0 finding(s): 0 critical, 0 high, 0 moderate, 0 low');
    const kept = line.evidence.report!;
    expect(kept).toContain(join(dir, '.goldloop', 'evidence'));
    expect(parseSarif(await readFile(kept, 'utf8'), kept).findings).toEqual([]);
  });

  it('fails on eval of input, a non-literal RegExp and child_process, naming the file and line of each', async () => {
    const dir = await temps.demo();
    await writeFile(join(dir, 'src', 'risky.js'), RISKY);
    const line = await securityLine(dir);
    expect(line.passed).toBe(false);
    expect(line.value).toBe(3);
    expect(line.evidence.detail).toContain('security/detect-eval-with-expression (high, src/risky.js:4)');
    expect(line.evidence.detail).toContain('security/detect-non-literal-regexp (high, src/risky.js:7)');
    expect(line.evidence.detail).toContain('security/detect-child-process (high, src/risky.js:10)');
  });

  it('is not switched off by comments in the code or by a config file in the project', async () => {
    const dir = await temps.demo();
    await writeFile(
      join(dir, 'src', 'risky.js'),
      `/* eslint-disable */\n// eslint-disable-next-line\nexport const run = (input) => eval(input);\n`,
    );
    await writeFile(join(dir, 'eslint.config.js'), 'export default [{ rules: {} }];\n');
    const line = await securityLine(dir);
    expect(line.passed).toBe(false);
    expect(line.evidence.detail).toContain('security/detect-eval-with-expression (high, src/risky.js:3)');
  });

  it('fails on a file ESLint cannot parse: a file not scanned is no evidence that it is safe', async () => {
    const dir = await temps.demo();
    await writeFile(join(dir, 'src', 'broken.js'), 'export function (\n');
    const line = await securityLine(dir);
    expect(line.passed).toBe(false);
    expect(line.evidence.detail).toContain('eslint/parse-error (high, src/broken.js:1)');
  });

  it('is switched off, visibly, where ESLint or its plugin is not installed with Goldloop', () => {
    expect(demoSecurityGate(undefined)).toMatchObject({ enabled: false });
    expect(KbSchema.parse({ ...demoKb(), gates: { security: demoSecurityGate(undefined) } }).gates.security?.enabled).toBe(false);
  });
});
