// The hints for a test command without reports, followed word for word: the flags they name,
// added to the command, make the real runner write the reports the fields they name read.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coverageHint, resultsHint } from '../../../electron/engine/gates/checklist/hints.ts';
import { runGates } from '../../../electron/engine/gates/phase.ts';
import { initProject } from '../../../electron/engine/project/init.ts';
import { KbSchema } from '../../../electron/store/kb/schema.ts';
import { TempDirs } from '../../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

/** The flags a hint says to add, and the JSON of the field it says to set. */
function follow(hint: string): { flags: string[]; field: string; value: unknown } {
  const m = /^add (.+?) (?:after --test|to gates\.tests\.command)[^,]* and set (\w+) (.+?), or run goldloop init --redetect/.exec(hint);
  expect(m, hint).not.toBeNull();
  return { flags: m![1]!.split(' '), field: m![2]!, value: JSON.parse(m![3]!) as unknown };
}

describe('the hints for a test command given with --test-command', () => {
  it('name, for node:test, flags and fields that give per-test results and coverage when followed literally', async () => {
    const dir = await temps.make('goldloop-hints-');
    await writeFile(join(dir, 'package.json'), '{ "name": "h", "type": "module" }\n');
    await writeFile(join(dir, 'calc.js'), 'export const add = (a, b) => a + b;\nexport function unused() {\n  return 0;\n}\n');
    await mkdir(join(dir, 'test'));
    await writeFile(
      join(dir, 'test/calc.test.js'),
      "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../calc.js';\ntest('adds', () => assert.equal(add(1, 2), 3));\ntest('wrong on purpose', () => assert.equal(add(1, 1), 3));\n",
    );
    const command = [process.execPath, '--test'];
    const { notes } = await initProject(dir, { testCommand: command, git: true });
    expect(notes.join('\n')).toContain(`For per-test results: ${resultsHint(command)}`);
    expect(notes.join('\n')).toContain(`For coverage: ${coverageHint(command)}`);

    const results = follow(resultsHint(command));
    const coverage = follow(coverageHint(command));
    const tests = {
      command: [...command, ...coverage.flags, ...results.flags],
      [results.field]: results.value,
      [coverage.field]: coverage.value,
    };
    const run = await runGates({ projectDir: dir, kb: KbSchema.parse({ gates: { tests } }), label: 'hints' });
    const line = (id: string) => run.checklist.find((c) => c.id === id)!;
    expect(line('tests').value).toBe('1/2 passing');
    // calc.js only (the hint excludes test/**), where unused() never runs.
    expect(line('coverage').evidence.detail).toContain('not counted: 1 file(s) the gate excludes (test/calc.test.js)');
    expect(line('coverage').value as number).toBeGreaterThan(0);
    expect(line('coverage').value as number).toBeLessThan(100);
  });

  it("name the project's own packages for pytest-cov and its own coverage tool for mocha, never a placeholder", () => {
    expect(coverageHint(['python3', '-m', 'pytest'], { pythonPackages: ['shop', 'tools'] })).toMatch(
      /^add --cov=shop --cov=tools --cov-report=xml:\{reports\}\/coverage\.xml to gates\.tests\.command/,
    );
    // No package found: the folder, its test files not counted.
    expect(coverageHint(['pytest'])).toContain('add --cov=. --cov-report=xml:{reports}/coverage.xml');
    expect(coverageHint(['pytest'])).toContain('"exclude": ["tests/**", "test/**", "**/test_*.py", "**/*_test.py", "**/conftest.py"]');
    expect(coverageHint(['npx', 'mocha'], { nodeCoverage: 'nyc' })).toMatch(
      /^put nyc --reporter=lcovonly .* before mocha in gates\.tests\.command/,
    );
    expect(coverageHint(['npx', 'mocha'])).toContain(
      'put c8 --reporter=lcovonly --reports-dir={reports}/coverage --temp-directory={reports}/c8-tmp before mocha',
    );
    expect(coverageHint(['npx', 'vitest', 'run'], { vitestProvider: 'istanbul' })).toMatch(
      /^add --coverage\.enabled=true --coverage\.provider=istanbul .* \(with @vitest\/coverage-istanbul installed\)/,
    );
    expect(coverageHint(['npx', 'vitest', 'run'])).toContain('(with @vitest/coverage-v8 installed)');
    expect(resultsHint(['node_modules/.bin/mocha', 'test/'])).toMatch(
      /^add --reporter xunit --reporter-option output=\{reports\}\/junit\.xml/,
    );
  });

  it('fall back to naming what any runner must do, and init --redetect, for a command it does not know', () => {
    expect(resultsHint(['make', 'check'])).toContain('make the command write a JUnit XML file under {reports}');
    expect(coverageHint(['make', 'check'])).toContain('or run goldloop init --redetect');
  });
});
