// detectTampering on real git repositories: each way an agent can switch tests off, in each
// framework Goldloop detects, is found in the cycle's diff (between Goldloop's private snapshots of
// its start and end); the same words in prose are not; a diff that cannot be made is a finding.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectTampering, type CycleSnapshots } from '../../../electron/engine/guard/tamper.ts';
import type { GateRun, TestOutcome } from '../../../electron/engine/gates/types.ts';
import { commitAll, initRepository } from '../../../electron/platform/git.ts';
import { KbSchema } from '../../../electron/store/kb/schema.ts';
import { openSnapshots } from '../../../electron/store/state-folder.ts';
import { TempDirs } from '../../helpers/project.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());
const kb = KbSchema.parse({});

/** A repository holding `files` at its first commit, and Goldloop's snapshot of the cycle's start. */
async function repo(files: Record<string, string>): Promise<{ dir: string; start: CycleSnapshots }> {
  const dir = await temps.make('goldloop-tamper-');
  await write(dir, files);
  await initRepository(dir);
  await commitAll(dir, 'start');
  const snapshots = await openSnapshots(dir);
  return { dir, start: { repo: snapshots, start: (await snapshots.snapshot('refs/test/start', 'start')).commit } };
}

/** The cycle's snapshots once the agent has finished. */
const ended = async (s: CycleSnapshots): Promise<CycleSnapshots> => ({ ...s, end: (await s.repo.snapshot('refs/test/end', 'end')).commit });

async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

const run = (names: string[]): GateRun => ({
  at: '',
  duration_ms: 0,
  gold: false,
  checklist: [],
  tests: names.map((name) => ({ name, status: 'passed' as const })),
  uncovered_requirements: [],
  least_covered_files: [],
});

// What the agent's edit turns a test into, per framework: [file, before, after, what the finding says].
const SKIPS: [string, string, string, string][] = [
  ['test/a.test.js', "test('REQ-1 adds', () => {});", "test.skip('REQ-1 adds', () => {});", 'a .skip/.only/.todo'],
  ['test/a.test.js', "it('REQ-1 adds', () => {});", "it.only('REQ-2 other', () => {});", 'a .skip/.only/.todo'],
  ['test/a.spec.ts', "it('REQ-1 adds', () => {});", "xit('REQ-1 adds', () => {});", 'an xit/xdescribe'],
  ['test/a.test.mjs', "test('REQ-1 adds', () => {});", "test('REQ-1 adds', { skip: true }, () => {});", 'a node:test skip or todo option'],
  [
    'tests/test_calc.py',
    'def test_req_1():\n    assert add(1, 2) == 3\n',
    '@pytest.mark.skip(reason="later")\ndef test_req_1():\n    assert add(1, 2) == 3\n',
    'a pytest/unittest skip or xfail',
  ],
  [
    'tests/test_calc.py',
    'def test_req_1():\n    assert add(1, 2) == 3\n',
    'def test_req_1():\n    pytest.skip("later")\n',
    'a pytest/unittest skip or xfail',
  ],
  [
    'tests/test_calc.py',
    'class T(unittest.TestCase):\n    def test_a(self): pass\n',
    'class T(unittest.TestCase):\n    @unittest.skip("later")\n    def test_a(self): pass\n',
    'a pytest/unittest skip or xfail',
  ],
  [
    'test/a.test.mjs',
    "test('REQ-1 adds', (t) => {\n  assert.equal(add(1, 2), 3);\n});",
    "test('REQ-1 adds', (t) => {\n  t.skip('later');\n});",
    'a node:test t.skip()/t.todo()',
  ],
  [
    'test/a.test.mjs',
    "test('REQ-1 adds', (t) => {\n  assert.equal(add(1, 2), 3);\n});",
    "test('REQ-1 adds', (t) => {\n  t.todo('later');\n});",
    'a node:test t.skip()/t.todo()',
  ],
  [
    'test/a.test.mjs',
    "test('REQ-1 adds', () => {});",
    "test('REQ-1 adds', { todo: 'later' }, () => {});",
    'a node:test skip or todo option',
  ],
  ['test/a.test.ts', "it('REQ-1 adds', () => {});", "it.todo('REQ-1 adds');", 'a .skip/.only/.todo'],
  ['test/a.test.ts', "it('REQ-1 adds', () => {});", "it.fails('REQ-1 adds', () => {});", 'a vitest/jest .fails/.failing/.skipIf'],
  ['test/a.test.js', "test('REQ-1 adds', () => {});", "test.failing('REQ-1 adds', () => {});", 'a vitest/jest .fails/.failing/.skipIf'],
  ['test/a.test.js', "test('REQ-1 adds', () => {});", "test.concurrent.skip('REQ-1 adds', () => {});", 'a .skip/.only/.todo'],
  [
    'tests/test_calc.py',
    'def test_req_1():\n    assert add(1, 2) == 3\n',
    '@pytest.mark.xfail\ndef test_req_1():\n    assert add(1, 2) == 3\n',
    'a pytest/unittest skip or xfail',
  ],
  [
    'tests/test_calc.py',
    'def test_req_1():\n    assert add(1, 2) == 3\n',
    'def test_req_1():\n    pytest.xfail("later")\n',
    'a pytest/unittest skip or xfail',
  ],
  ['calc_test.go', 'func TestAdd(t *testing.T) {\n}\n', 'func TestAdd(t *testing.T) {\n\tt.Skip("later")\n}\n', 'a Go t.Skip'],
  ['src/lib.rs', '#[test]\nfn adds() {}\n', '#[test]\n#[ignore]\nfn adds() {}\n', 'a Rust #[ignore]'],
  ['src/test/java/CalcTest.java', '@Test\nvoid adds() {}\n', '@Test\n@Disabled\nvoid adds() {}\n', 'a JUnit @Disabled/@Ignore'],
];

describe('a skip the agent added', () => {
  for (const [file, before, after, what] of SKIPS) {
    it(`is found in ${file}: ${after
      .split('\n')
      .find((l) => !before.includes(l))!
      .trim()}`, async () => {
      const { dir, start } = await repo({ [file]: `${before}\n` });
      await write(dir, { [file]: `${after}\n` });
      const findings = await detectTampering({ snapshots: await ended(start), restored: [], kb });
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ kind: 'skip_added', message: `the agent added ${what} (1 line(s))` });
      expect(findings[0]!.evidence).toContain(file);
    });
  }

  it('is found in a new test file git does not know yet', async () => {
    const { dir, start } = await repo({ 'README.md': '# x\n' });
    await write(dir, { 'test/new.test.js': "xit('REQ-1 later', () => {});\n" });
    const findings = await detectTampering({ snapshots: await ended(start), restored: [], kb });
    expect(findings.map((f) => f.kind)).toEqual(['skip_added']);
  });

  it('is not found in prose that mentions one, nor in a skip that was already there', async () => {
    const { dir, start } = await repo({ 'test/a.test.js': "test.skip('REQ-1 flaky upstream', () => {});\n" });
    await write(dir, {
      'test/a.test.js': "test.skip('REQ-1 flaky upstream', () => {});\ntest('REQ-2 new', () => {});\n",
      'docs/testing.md': 'Never use `it.skip(` or `@pytest.mark.skip` to hide a failure.\n',
    });
    expect(await detectTampering({ snapshots: await ended(start), restored: [], kb })).toEqual([]);
  });
});

describe('tests that no longer run', () => {
  it('finds a deleted test file', async () => {
    const { dir, start } = await repo({ 'test/a.test.js': "test('REQ-1', () => {});\n", 'tests/test_b.py': 'def test_b(): pass\n' });
    await rm(join(dir, 'tests/test_b.py'));
    const findings = await detectTampering({ snapshots: await ended(start), restored: [], kb });
    expect(findings).toEqual([{ kind: 'test_file_deleted', message: 'the test file tests/test_b.py was deleted' }]);
  });

  it('finds a test file renamed to a name no test runner picks up', async () => {
    const { dir, start } = await repo({ 'test/a.test.js': "test('REQ-1 adds one and one', () => {});\n" });
    await rm(join(dir, 'test/a.test.js'));
    await write(dir, { 'attic/a.test.js.bak': "test('REQ-1 adds one and one', () => {});\n" });
    const findings = await detectTampering({ snapshots: await ended(start), restored: [], kb });
    expect(findings).toEqual([{ kind: 'test_file_deleted', message: 'the test file test/a.test.js was deleted' }]);
  });

  it('finds tests that ran in the last measurement and not in this one, by name', async () => {
    const findings = await detectTampering({
      previous: run(['REQ-1 adds', 'REQ-2 subtracts']),
      current: run(['REQ-1 adds']),
      restored: [],
      kb,
    });
    expect(findings).toEqual([{ kind: 'tests_removed', message: '1 test(s) that ran before no longer run: REQ-2 subtracts' }]);
  });
});

describe('tests lost, seen from the results', () => {
  const outcomes = (tests: [string, TestOutcome['status']][]): GateRun => ({
    ...run([]),
    tests: tests.map(([name, status]) => ({ name, status })),
  });
  const lost = (current: GateRun, previous?: GateRun, baseline?: GateRun) =>
    detectTampering({
      current,
      ...(previous ? { previous } : {}),
      ...(baseline ? { baseline } : {}),
      restored: [],
      kb,
    });

  it('finds a test that passed in the baseline and is skipped now, however the skip was written', async () => {
    const baseline = outcomes([
      ['REQ-1 adds', 'passed'],
      ['REQ-2 subtracts', 'failed'],
    ]);
    const now = outcomes([
      ['REQ-1 adds', 'skipped'],
      ['REQ-2 subtracts', 'skipped'],
    ]);
    expect(await lost(now, undefined, baseline)).toEqual([
      { kind: 'test_skipped', message: '1 test(s) that passed before are skipped now: REQ-1 adds' },
    ]);
  });

  it('finds a test that passed in the baseline and no longer runs, though the last measurement had lost it too', async () => {
    const baseline = outcomes([
      ['REQ-1 adds', 'passed'],
      ['REQ-2 subtracts', 'passed'],
    ]);
    const previous = outcomes([['REQ-1 adds', 'passed']]);
    expect(await lost(previous, previous, baseline)).toEqual([
      { kind: 'tests_removed', message: '1 test(s) that ran before no longer run: REQ-2 subtracts' },
    ]);
  });

  it('says when new names appeared beside the lost ones: a rename', async () => {
    const previous = outcomes([['REQ-1 adds', 'passed']]);
    const now = outcomes([['REQ-1 REQ-2 adds', 'passed']]);
    expect((await lost(now, previous))[0]!.message).toBe(
      '1 test(s) that ran before no longer run (removed or renamed: 1 new name(s) appeared): REQ-1 adds',
    );
  });

  it('finds a test that passes making no assertion where it made some before, where the report counts them', async () => {
    const counted = (tests: [string, TestOutcome['status'], number?][]): GateRun => ({
      ...run([]),
      tests: tests.map(([name, status, assertions]) => ({ name, status, ...(assertions === undefined ? {} : { assertions }) })),
    });
    const baseline = counted([
      ['REQ-1 adds', 'passed', 3],
      ['REQ-2 subtracts', 'passed', 2],
      ['REQ-3 divides', 'failed', 1],
    ]);
    const previous = counted([['REQ-4 rounds', 'passed', 1]]);
    const now = counted([
      ['REQ-1 adds', 'passed', 0],
      ['REQ-2 subtracts', 'passed', 1],
      ['REQ-3 divides', 'passed', 0],
      ['REQ-4 rounds', 'passed', 0],
    ]);
    expect(await lost(now, previous, baseline)).toEqual([
      {
        kind: 'assertions_dropped',
        message: '2 test(s) that made assertions before pass making none now: REQ-1 adds (3 before); REQ-4 rounds (1 before)',
      },
    ]);
    // An earlier report without counts says nothing of them.
    expect(await lost(counted([['REQ-1 adds', 'passed', 0]]), undefined, outcomes([['REQ-1 adds', 'passed']]))).toEqual([]);
  });

  it('is quiet while every test runs under its name, passing or failing', async () => {
    const baseline = outcomes([['REQ-1 adds', 'failed']]);
    const now = outcomes([
      ['REQ-1 adds', 'passed'],
      ['REQ-2 new', 'skipped'],
    ]);
    expect(await lost(now, baseline, baseline)).toEqual([]);
    expect(await lost(outcomes([['REQ-1 adds', 'failed']]), outcomes([['REQ-1 adds', 'passed']]))).toEqual([]);
  });
});

describe('the locked configuration', () => {
  it('is a finding when the agent edited the gates or the thresholds, not when it only wrote notes', async () => {
    const edited = await detectTampering({ restored: ['gates', 'autonomous_operation'], kb });
    expect(edited).toEqual([
      { kind: 'config_changed', message: 'the agent edited the locked configuration (gates, autonomous_operation); Goldloop restored it' },
    ]);
    expect(await detectTampering({ restored: ['test_results'], kb })).toEqual([]);
  });
});

describe('a diff that cannot be made', () => {
  it('is a finding, never "no changes": the end could not be taken', async () => {
    const { start } = await repo({ 'README.md': '# x\n' });
    const findings = await detectTampering({ snapshots: { ...start, error: 'the disk is full' }, restored: [], kb });
    expect(findings).toEqual([{ kind: 'diff_failed', message: expect.stringContaining('the disk is full') }]);
  });

  it('is a finding, never "no changes": the start is not there', async () => {
    const { start } = await repo({ 'README.md': '# x\n' });
    const gone = { ...(await ended(start)), start: '0123456789abcdef0123456789abcdef01234567' };
    const findings = await detectTampering({ snapshots: gone, restored: [], kb });
    expect(findings.map((f) => f.kind)).toEqual(['diff_failed']);
  });
});
