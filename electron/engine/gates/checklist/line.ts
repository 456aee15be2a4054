/** One checklist line, labelled by its gate so that every view words it the same. */
import { GATE_LABELS, type ChecklistItem, type Evidence, type GateId } from '../types.ts';

export const item = (
  id: GateId,
  passed: boolean,
  value: ChecklistItem['value'],
  threshold: ChecklistItem['threshold'],
  evidence: Evidence,
): ChecklistItem => ({
  id,
  label: GATE_LABELS[id],
  passed,
  value,
  threshold,
  evidence,
});

/** The line of a gate the user switched off: it passes, and says why. */
export const disabled = (id: GateId, key: string): ChecklistItem => ({
  ...item(id, true, 'off', null, { detail: `switched off by the user (gates.${key}.enabled is false)` }),
  disabled: true,
});
