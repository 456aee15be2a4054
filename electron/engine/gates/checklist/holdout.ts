/**
 * The held-out line: every acceptance test the user keeps outside the project passes at a gold
 * candidate. Its evidence names the requirements whose held-out tests fail, never a test, its
 * message or its output: the agent is to make the requirement work, not that test pass.
 */
import type { Kb } from '../../../store/kb/schema.ts';
import type { HoldoutRun, HoldoutSkipped } from '../measurement.ts';
import type { ChecklistItem } from '../types.ts';
import { baseEvidence, commandFailure, notMeasured } from './command-gates.ts';
import { item } from './line.ts';
import { namesRequirement } from './requirements.ts';

const NONE =
  'no held-out acceptance tests (optional): set gates.holdout { dir, command } to a folder of tests outside the project, which Goldloop runs at every gold candidate and the agent never sees';

export function holdoutItem(kb: Kb, run: HoldoutRun | HoldoutSkipped | undefined): ChecklistItem {
  const config = kb.gates.holdout;
  if (!config) return { ...item('holdout', true, 'none', null, { detail: NONE }), disabled: true, optional: true };
  if (!config.enabled)
    return {
      ...item('holdout', true, 'off', null, { detail: 'switched off by the user (gates.holdout.enabled is false)' }),
      disabled: true,
    };
  if (!run) return { ...notMeasured('holdout', config.command), threshold: 'all' };
  if ('skipped' in run) return item('holdout', false, null, 'all', { command: config.command, detail: run.skipped });
  const base = baseEvidence(config.command, run, run.copy);
  const failure = commandFailure(run.result, config.timeout_minutes, 'held-out test run');
  if (failure) return item('holdout', false, null, 'all', { ...base, detail: failure });
  const r = run.report;
  if (!r) {
    const exit = run.result.exitCode === 0 ? '' : ` (exit ${String(run.result.exitCode)})`;
    return item('holdout', false, null, 'all', { ...base, detail: `${run.error ?? 'no JUnit report'}${exit}` });
  }
  const total = r.tests.length;
  const notPassing = r.tests.filter((t) => t.status !== 'passed');
  const value = `${total - notPassing.length}/${total}`;
  if (total === 0) return item('holdout', false, value, 'all', { ...base, detail: 'the held-out folder ran no test' });
  if (notPassing.length === 0)
    return item('holdout', true, value, 'all', { ...base, detail: `all ${total} held-out acceptance tests pass` });
  const failing = kb.requirements.map((q) => q.id).filter((id) => notPassing.some((t) => namesRequirement(t.name, id)));
  const unnamed = notPassing.filter((t) => !kb.requirements.some((q) => namesRequirement(t.name, q.id))).length;
  const parts = [
    failing.length
      ? `held-out acceptance tests fail for ${failing.join(', ')}: make these requirements work for every input, not only for those of the visible tests`
      : '',
    unnamed ? `${unnamed} held-out test(s) that name no requirement fail` : '',
  ].filter(Boolean);
  return item('holdout', false, value, 'all', { ...base, detail: parts.join('; ') });
}
