// The three fixtures under test/fixtures/unit/kb/ are the operating document's own JSON examples
// (shared/seeds/000_1fa2fb20e0805f35.txt: "Core Loop Structure", "Priority Queue Structure" and
// "Update Knowledge Base Structure"), copied byte for byte.
import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PHASES, KbSchema, type Kb, type KbInput } from '../../electron/store/kb/schema.ts';
import {
  KB_BACKUP,
  KB_FILE,
  KbError,
  jsonPath,
  kbPath,
  loadKb,
  parseKb,
  saveKb,
  serializeKb,
  updateKb,
} from '../../electron/store/kb/kb-file.ts';
import { TempDirs } from '../helpers/temp.ts';

const fixture = (name: string): string => readFileSync(join('test/fixtures/unit/kb', name), 'utf8');
const LOOP = fixture('operating-doc-loop.json');
const QUEUE = fixture('operating-doc-task-queue.json');
const MEASURED = fixture('operating-doc-measured.json');

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** A project folder whose KB file holds `text` as it is. */
async function projectWith(text: string): Promise<string> {
  const dir = await temps.make('goldloop-kb-');
  await writeFile(kbPath(dir), text);
  return dir;
}

/** The KbError a parse throws (fails the test when it does not throw one). */
function kbErrorOf(run: () => unknown): KbError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KbError);
    return error as KbError;
  }
  throw new Error('expected a KbError, but the KB was accepted');
}

async function kbErrorOfAsync(run: () => Promise<unknown>): Promise<KbError> {
  const error: unknown = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KbError);
  return error as KbError;
}

const kbOf = (input: KbInput): Kb => KbSchema.parse(input);

describe('the operating document examples', () => {
  it('loads the core loop structure as it is, keeping every value it gives', () => {
    const op = parseKb(LOOP, 'kb.json').autonomous_operation;
    expect(op).toMatchObject({
      enabled: true,
      mode: '24/7_until_complete',
      status: 'running',
      started_at: '2025-12-02T23:00:00',
      current_iteration: 1,
      max_iterations_per_day: 100,
      work_cycle: { duration_minutes: 15, break_between_cycles_minutes: 5, max_cycles_per_hour: 3 },
      quality_gates: { test_coverage_threshold: 80, all_tests_must_pass: true, security_scan_must_pass: true, code_review_required: false },
      error_handling: { max_consecutive_errors: 3, error_recovery_strategy: 'pause_and_alert', auto_retry: true, retry_delay_minutes: 30 },
      reporting: { status_report_interval_hours: 6, progress_report_interval_hours: 2, error_alert_immediate: true },
    });
  });

  it('keeps the completion criteria of the core loop structure', () => {
    expect(parseKb(LOOP, 'kb.json').autonomous_operation.completion_criteria).toEqual({
      all_phases_complete: true,
      all_requirements_covered: true,
      test_coverage_80_plus: true,
      all_tests_passing: true,
      production_ready: true,
      documentation_complete: true,
    });
  });

  it('loads the priority queue structure with its three tasks as written', () => {
    const queue = parseKb(QUEUE, 'kb.json').task_queue;
    expect(queue.high_priority).toHaveLength(1);
    expect(queue.medium_priority).toHaveLength(1);
    expect(queue.low_priority).toHaveLength(1);
    expect(queue.medium_priority[0]).toMatchObject({
      task_id: 'TASK_002',
      description: 'Implement feature',
      priority: 'P1',
      estimated_time: '4 hours',
      dependencies: ['TASK_001'],
      status: 'blocked',
    });
    expect(queue.high_priority[0]?.task_id).toBe('TASK_001');
    expect(queue.low_priority[0]).toMatchObject({ task_id: 'TASK_003', priority: 'P2', status: 'ready' });
  });

  it('gives the document tasks the Goldloop task defaults', () => {
    const task = parseKb(QUEUE, 'kb.json').task_queue.high_priority[0];
    expect(task).toMatchObject({ phase: 1, requirements: [], critical_bug: false });
    expect(task?.verify).toBeUndefined();
  });

  it('loads the measured variant: the quality_gates measurements are kept beside the defaults', () => {
    const op = parseKb(MEASURED, 'kb.json').autonomous_operation;
    expect(op.quality_gates).toMatchObject({ test_coverage: 75, target_coverage: 80, tests_passing: true, security_scan: true });
    expect(op.quality_gates.test_coverage_threshold).toBe(80);
    expect(op).toMatchObject({
      work_cycles_completed: 0,
      tasks_completed: 0,
      last_cycle_at: '2025-12-02T23:15:00',
      next_cycle_at: '2025-12-02T23:20:00',
      completion_estimate: '2025-12-15T00:00:00',
    });
  });

  it('keeps the completion_status of the measured variant', () => {
    expect(parseKb(MEASURED, 'kb.json').autonomous_operation.completion_status).toEqual({
      phases_complete: 0,
      total_phases: 4,
      requirements_covered: 60,
      target_coverage: 100,
      production_ready: false,
    });
  });

  it('loads a file that merges all three examples', async () => {
    const merged = {
      ...(JSON.parse(QUEUE) as object),
      autonomous_operation: {
        ...(JSON.parse(LOOP) as { autonomous_operation: object }).autonomous_operation,
        ...(JSON.parse(MEASURED) as { autonomous_operation: object }).autonomous_operation,
      },
    };
    const dir = await projectWith(JSON.stringify(merged, null, 2));
    const kb = await loadKb(dir);
    expect(kb.task_queue.low_priority[0]?.task_id).toBe('TASK_003');
    expect(kb.autonomous_operation.completion_status).toMatchObject({ total_phases: 4 });
  });
});

describe('defaults from the operating document', () => {
  const kb = parseKb('{}', 'kb.json');
  const op = kb.autonomous_operation;

  it('a work cycle is 15 minutes with a 5 minute break, at most 3 per hour', () => {
    expect(op.work_cycle).toEqual({ duration_minutes: 15, break_between_cycles_minutes: 5, max_cycles_per_hour: 3 });
  });

  it('at most 100 iterations a day and 1000 a run', () => {
    expect(op.max_iterations_per_day).toBe(100);
    expect(op.max_iterations_per_run).toBe(1000);
  });

  it('coverage threshold 80, all tests and the security scan must pass, no code review', () => {
    expect(op.quality_gates).toEqual({
      test_coverage_threshold: 80,
      all_tests_must_pass: true,
      security_scan_must_pass: true,
      code_review_required: false,
    });
  });

  it('3 consecutive errors pause and alert, retrying after 30 minutes', () => {
    expect(op.error_handling).toEqual({
      max_consecutive_errors: 3,
      error_recovery_strategy: 'pause_and_alert',
      auto_retry: true,
      retry_delay_minutes: 30,
    });
  });

  it('progress report every 2 hours, status report every 6, errors at once', () => {
    expect(op.reporting).toEqual({
      status_report_interval_hours: 6,
      progress_report_interval_hours: 2,
      error_alert_immediate: true,
      notifications: true,
    });
  });

  it('the four phases: Core, Advanced, Enterprise, Optimization', () => {
    expect(kb.phases).toEqual([
      { phase: 1, name: 'Core Features' },
      { phase: 2, name: 'Advanced Features' },
      { phase: 3, name: 'Enterprise Features' },
      { phase: 4, name: 'Optimization' },
    ]);
    expect(kb.phases).toEqual(DEFAULT_PHASES);
  });

  it('the counters start at zero, enabled, in 24/7 mode, with empty queues', () => {
    expect(op).toMatchObject({
      enabled: true,
      mode: '24/7_until_complete',
      current_iteration: 0,
      work_cycles_completed: 0,
      tasks_completed: 0,
    });
    expect(kb.task_queue).toEqual({ high_priority: [], medium_priority: [], low_priority: [] });
    expect(kb.requirements).toEqual([]);
  });

  it('a partly given section keeps what is given and defaults the rest', () => {
    const partial = parseKb('{"autonomous_operation":{"work_cycle":{"duration_minutes":30}}}', 'kb.json');
    expect(partial.autonomous_operation.work_cycle).toEqual({
      duration_minutes: 30,
      break_between_cycles_minutes: 5,
      max_cycles_per_hour: 3,
    });
  });

  it('a task without a status is ready', () => {
    const one = parseKb('{"task_queue":{"low_priority":[{"task_id":"T1"}]}}', 'kb.json');
    expect(one.task_queue.low_priority[0]).toMatchObject({ status: 'ready', dependencies: [], description: '' });
  });
});

describe('unknown fields survive saveKb -> loadKb', () => {
  const withExtras = {
    team_notes: { owner: 'ana', tags: ['x'] },
    autonomous_operation: { enabled: true, custom_flag: 'keep me', work_cycle: { duration_minutes: 20, cadence: 'weekday' } },
    task_queue: { high_priority: [{ task_id: 'T1', priority: 'P0', assignee: 'bob', notes: { a: 1 } }] },
  } satisfies KbInput;

  it('keeps an unknown top-level section', async () => {
    const dir = await temps.make();
    await saveKb(dir, kbOf(withExtras));
    expect((await loadKb(dir)).team_notes).toEqual({ owner: 'ana', tags: ['x'] });
  });

  it('keeps unknown fields inside autonomous_operation and its sub-objects', async () => {
    const dir = await temps.make();
    await saveKb(dir, kbOf(withExtras));
    const op = (await loadKb(dir)).autonomous_operation;
    expect(op.custom_flag).toBe('keep me');
    expect(op.work_cycle.cadence).toBe('weekday');
  });

  it('keeps unknown fields inside a task', async () => {
    const dir = await temps.make();
    await saveKb(dir, kbOf(withExtras));
    expect((await loadKb(dir)).task_queue.high_priority[0]).toMatchObject({ assignee: 'bob', notes: { a: 1 } });
  });

  it('keeps unknown fields a user wrote by hand through a load-change-save', async () => {
    const dir = await projectWith(JSON.stringify(withExtras));
    await updateKb(dir, (kb) => {
      kb.autonomous_operation.current_iteration = 4;
    });
    const raw = JSON.parse(await readFile(kbPath(dir), 'utf8')) as typeof withExtras & {
      autonomous_operation: { current_iteration: number };
    };
    expect(raw.team_notes.owner).toBe('ana');
    expect(raw.task_queue.high_priority[0]?.assignee).toBe('bob');
    expect(raw.autonomous_operation.current_iteration).toBe(4);
  });
});

describe('errors name the file, the JSON path and the fix', () => {
  const badPriority = '{"task_queue":{"high_priority":[{"task_id":"T1","priority":"P5"}]}}';

  it('names the file', () => {
    expect(kbErrorOf(() => parseKb(badPriority, '/projects/a/.ai-knowledge-base.json')).message).toContain(
      '/projects/a/.ai-knowledge-base.json',
    );
  });

  it('names the JSON path of the bad field', () => {
    const error = kbErrorOf(() => parseKb(badPriority, 'kb.json'));
    expect(error.problems.map((p) => p.path)).toEqual(['$.task_queue.high_priority[0].priority']);
    expect(error.message).toContain('$.task_queue.high_priority[0].priority');
  });

  it('says which values are allowed', () => {
    const error = kbErrorOf(() => parseKb(badPriority, 'kb.json'));
    expect(error.problems[0]?.fix).toBe('use one of "P0", "P1", "P2"');
    expect(error.message).toContain('use one of "P0", "P1", "P2"');
  });

  it('keeps the file and the problems on the error for the caller', () => {
    const error = kbErrorOf(() => parseKb(badPriority, 'kb.json'));
    expect(error.name).toBe('KbError');
    expect(error.file).toBe('kb.json');
  });

  it('reports every bad field, not only the first', () => {
    const error = kbErrorOf(() =>
      parseKb(
        '{"task_queue":{"high_priority":[{"task_id":"T1","status":"doing"}]},"autonomous_operation":{"max_iterations_per_day":0}}',
        'kb.json',
      ),
    );
    expect(error.problems.map((p) => p.path).sort()).toEqual([
      '$.autonomous_operation.max_iterations_per_day',
      '$.task_queue.high_priority[0].status',
    ]);
  });

  it('asks to add a missing required field', () => {
    const error = kbErrorOf(() => parseKb('{"task_queue":{"medium_priority":[{"description":"no id"}]}}', 'kb.json'));
    expect(error.problems[0]).toMatchObject({ path: '$.task_queue.medium_priority[0].task_id', fix: 'add the field; it must be a string' });
  });

  // zod 4 leaves `issue.input` out of issues unless parse is called with `reportInput: true`.
  it('asks to change a field that has the wrong type (not to add it)', () => {
    const error = kbErrorOf(() => parseKb('{"autonomous_operation":{"current_iteration":"one"}}', 'kb.json'));
    expect(error.problems[0]).toMatchObject({ path: '$.autonomous_operation.current_iteration', fix: 'change it to a number' });
  });

  it('gives the lower bound of a number that is too small', () => {
    const error = kbErrorOf(() => parseKb('{"autonomous_operation":{"work_cycle":{"max_cycles_per_hour":0}}}', 'kb.json'));
    expect(error.problems[0]).toMatchObject({
      path: '$.autonomous_operation.work_cycle.max_cycles_per_hour',
      fix: 'use a value of at least 1',
    });
  });

  it('gives the upper bound of a number that is too big', () => {
    const error = kbErrorOf(() => parseKb('{"autonomous_operation":{"quality_gates":{"test_coverage_threshold":120}}}', 'kb.json'));
    expect(error.problems[0]).toMatchObject({
      path: '$.autonomous_operation.quality_gates.test_coverage_threshold',
      fix: 'use a value of at most 100',
    });
  });

  it('explains the requirement id format', () => {
    const error = kbErrorOf(() => parseKb('{"requirements":[{"id":"requirement one"}]}', 'kb.json'));
    expect(error.problems[0]).toMatchObject({ path: '$.requirements[0].id', fix: 'use an id such as REQ-012' });
  });

  it('refuses a task id with spaces', () => {
    const error = kbErrorOf(() => parseKb('{"task_queue":{"low_priority":[{"task_id":"TASK 1"}]}}', 'kb.json'));
    expect(error.problems[0]).toMatchObject({ path: '$.task_queue.low_priority[0].task_id', message: 'a task id may not contain spaces' });
  });

  it('refuses an empty test command', () => {
    const error = kbErrorOf(() => parseKb('{"gates":{"tests":{"command":[]}}}', 'kb.json'));
    expect(error.problems[0]?.path).toBe('$.gates.tests.command');
    expect(error.problems[0]?.message).toContain('give at least the program to run');
  });

  it('reports a duplicate task id across queues, naming both places', () => {
    const error = kbErrorOf(() =>
      parseKb(
        '{"task_queue":{"high_priority":[{"task_id":"TASK_001"}],"low_priority":[{"task_id":"TASK_002"},{"task_id":"TASK_001"}]}}',
        'kb.json',
      ),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.path).toBe('$.task_queue.low_priority[1].task_id');
    expect(error.problems[0]?.message).toContain('duplicate task id "TASK_001" (also at task_queue.high_priority[0])');
    expect(error.problems[0]?.fix).toBe('give each task its own id');
  });

  it('reports a duplicate requirement id', () => {
    const error = kbErrorOf(() => parseKb('{"requirements":[{"id":"REQ-001"},{"id":"REQ-001"}]}', 'kb.json'));
    expect(error.problems[0]).toMatchObject({ path: '$.requirements[1].id', fix: 'give each requirement its own id' });
  });

  it('reports invalid JSON with its line and column', () => {
    const text = '{\n  "a": 1,\n  "b": 2\n  "c": 3\n}\n';
    const error = kbErrorOf(() => parseKb(text, 'kb.json'));
    expect(error.problems[0]?.path).toBe('line 4, column 3');
    expect(error.problems[0]?.message).toMatch(/^not valid JSON/);
    expect(error.message).toContain('kb.json');
  });

  it('points invalid JSON at the backup', () => {
    const error = kbErrorOf(() => parseKb('{"a": }', 'kb.json'));
    expect(error.problems[0]?.fix).toContain('.goldloop/kb-backup.json');
  });

  it('refuses a top level that is not an object', () => {
    const error = kbErrorOf(() => parseKb('[1, 2]', 'kb.json'));
    expect(error.problems).toEqual([{ path: '$', message: 'the top level must be a JSON object', fix: 'wrap the content in { ... }' }]);
  });

  it('says how to create a missing KB with goldloop init', async () => {
    const dir = await temps.make();
    const error = await kbErrorOfAsync(() => loadKb(dir));
    expect(error.file).toBe(join(dir, KB_FILE));
    expect(error.problems[0]).toMatchObject({ message: 'file not found', fix: `create one with: goldloop init ${dir}` });
    expect(error.message.split('\n')[0]).toBe(`no knowledge base in ${dir} yet:`);
  });

  it('says there is no such folder for a path that does not exist, not that a file is missing', async () => {
    const dir = join(await temps.make(), 'no-such-project');
    const error = await kbErrorOfAsync(() => loadKb(dir));
    expect(error.message.split('\n')[0]).toBe(`no such folder: ${dir}:`);
    expect(error.problems[0]).toMatchObject({ message: 'the folder does not exist' });
  });

  it('names the KB file path when loading an invalid file', async () => {
    const dir = await projectWith('{"task_queue":{"high_priority":[{"task_id":"T1","priority":"high"}]}}');
    const error = await kbErrorOfAsync(() => loadKb(dir));
    expect(error.message).toContain(join(dir, '.ai-knowledge-base.json'));
    expect(error.message).toContain('$.task_queue.high_priority[0].priority');
  });
});

describe('jsonPath', () => {
  it('writes indexes in brackets and plain keys with dots', () => {
    expect(jsonPath(['task_queue', 'high_priority', 0, 'priority'])).toBe('$.task_queue.high_priority[0].priority');
  });

  it('quotes a key that is not an identifier', () => {
    expect(jsonPath(['weird-key', 'a b'])).toBe('$["weird-key"]["a b"]');
  });

  it('is $ for the root', () => {
    expect(jsonPath([])).toBe('$');
  });
});

describe('saveKb', () => {
  const sample = (): Kb => kbOf({ task_queue: { high_priority: [{ task_id: 'T1', priority: 'P0' }] } });

  it('writes the KB so that loadKb reads back the same value', async () => {
    const dir = await temps.make();
    const kb = sample();
    await saveKb(dir, kb);
    expect(await loadKb(dir)).toEqual(kb);
  });

  it('writes two-space JSON with a trailing newline', async () => {
    const dir = await temps.make();
    const kb = sample();
    await saveKb(dir, kb);
    const text = await readFile(kbPath(dir), 'utf8');
    expect(text).toBe(serializeKb(kb));
    expect(text).toMatch(/^\{\n {2}"/);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('leaves no temp file behind', async () => {
    const dir = await projectWith(serializeKb(sample()));
    const kb = sample();
    kb.autonomous_operation.current_iteration = 2;
    await saveKb(dir, kb);
    expect((await readdir(dir)).sort()).toEqual(['.ai-knowledge-base.json', '.goldloop']);
    expect(await readdir(join(dir, '.goldloop'))).toEqual(['kb-backup.json']);
  });

  it('keeps the previous version in .goldloop/kb-backup.json', async () => {
    const before = serializeKb(sample());
    const dir = await projectWith(before);
    const kb = sample();
    kb.autonomous_operation.current_iteration = 9;
    await saveKb(dir, kb);
    expect(await readFile(join(dir, KB_BACKUP), 'utf8')).toBe(before);
    expect((await loadKb(dir)).autonomous_operation.current_iteration).toBe(9);
  });

  it('makes no backup when there was no file before', async () => {
    const dir = await temps.make();
    await saveKb(dir, sample());
    expect(await readdir(join(dir, '.goldloop'))).toEqual([]);
  });

  it('keeps the byte-for-byte previous version, even when it was written by hand', async () => {
    const handWritten = '{ "task_queue": { "high_priority": [ { "task_id": "T1" } ] } }';
    const dir = await projectWith(handWritten);
    await saveKb(dir, sample());
    expect(await readFile(join(dir, KB_BACKUP), 'utf8')).toBe(handWritten);
  });

  it('keeps the previous bytes exactly, a byte that is not UTF-8 included', async () => {
    // Latin-1 "é" (0xe9) in a description: it reads as U+FFFD, and a backup written from the text would have lost it.
    const bytes = Buffer.concat([
      Buffer.from('{ "task_queue": { "high_priority": [ { "task_id": "T1", "description": "caf'),
      Buffer.from([0xe9]),
      Buffer.from('" } ] } }'),
    ]);
    const dir = await temps.make('goldloop-kb-');
    await writeFile(kbPath(dir), bytes);
    await saveKb(dir, sample());
    expect(await readFile(join(dir, KB_BACKUP))).toEqual(bytes);
  });

  it('refuses to overwrite a file that no longer validates, leaving it unchanged', async () => {
    const broken = '{"task_queue":{"high_priority":[{"task_id":"T1","priority":"urgent"}]}}';
    const dir = await projectWith(broken);
    const error = await kbErrorOfAsync(() => saveKb(dir, sample()));
    expect(error.message).toContain('$.task_queue.high_priority[0].priority');
    expect(await readFile(kbPath(dir), 'utf8')).toBe(broken);
  });

  it('refuses to overwrite a file that is no longer valid JSON, leaving it unchanged', async () => {
    const broken = '{"task_queue": {"high_priority": [\n';
    const dir = await projectWith(broken);
    await kbErrorOfAsync(() => saveKb(dir, sample()));
    expect(await readFile(kbPath(dir), 'utf8')).toBe(broken);
  });

  it('does not replace the last good backup with a broken file', async () => {
    const dir = await projectWith(serializeKb(sample()));
    await mkdir(join(dir, '.goldloop'), { recursive: true });
    await writeFile(join(dir, KB_BACKUP), 'last good');
    await writeFile(kbPath(dir), '{ broken');
    await kbErrorOfAsync(() => saveKb(dir, sample()));
    expect(await readFile(join(dir, KB_BACKUP), 'utf8')).toBe('last good');
  });

  it('refuses to overwrite a file broken on disk after it was loaded', async () => {
    const dir = await projectWith(serializeKb(sample()));
    const kb = await loadKb(dir);
    await writeFile(kbPath(dir), '{"task_queue": 7}');
    kb.autonomous_operation.current_iteration = 5;
    const error = await kbErrorOfAsync(() => saveKb(dir, kb));
    expect(error.problems[0]?.path).toBe('$.task_queue');
    expect(await readFile(kbPath(dir), 'utf8')).toBe('{"task_queue": 7}');
  });

  it('refuses to overwrite a file broken on disk after its own last save', async () => {
    const dir = await temps.make();
    const kb = sample();
    await saveKb(dir, kb);
    await writeFile(kbPath(dir), '{"task_queue": {"high_priority": [{"task_id": "T1", "status": "finished"}]}}');
    kb.autonomous_operation.current_iteration = 6;
    await kbErrorOfAsync(() => saveKb(dir, kb));
    expect(await readFile(kbPath(dir), 'utf8')).toContain('"finished"');
  });
});

describe('updateKb', () => {
  it('keeps edits made on disk since the last load', async () => {
    const dir = await temps.make();
    await saveKb(dir, kbOf({ task_queue: { high_priority: [{ task_id: 'T1' }] } }));
    const loaded = await loadKb(dir);
    // Someone else (the agent, the user) adds a task after our load.
    const onDisk = JSON.parse(await readFile(kbPath(dir), 'utf8')) as Kb;
    onDisk.task_queue.low_priority.push({ ...loaded.task_queue.high_priority[0]!, task_id: 'T2' });
    await writeFile(kbPath(dir), JSON.stringify(onDisk));
    await updateKb(dir, (kb) => {
      kb.task_queue.high_priority[0]!.status = 'done';
    });
    const after = await loadKb(dir);
    expect(after.task_queue.high_priority[0]?.status).toBe('done');
    expect(after.task_queue.low_priority.map((t) => t.task_id)).toEqual(['T2']);
  });

  it('returns the KB as saved', async () => {
    const dir = await temps.make();
    await saveKb(dir, kbOf({}));
    const kb = await updateKb(dir, (k) => {
      k.autonomous_operation.tasks_completed = 3;
    });
    expect(kb).toEqual(await loadKb(dir));
    expect(kb.autonomous_operation.tasks_completed).toBe(3);
  });

  it('throws a KbError and changes nothing when the file on disk is broken', async () => {
    const dir = await projectWith('{"oops":');
    let called = false;
    await kbErrorOfAsync(() =>
      updateKb(dir, () => {
        called = true;
      }),
    );
    expect(called).toBe(false);
    expect(await readFile(kbPath(dir), 'utf8')).toBe('{"oops":');
  });
});
