import { describe, expect, it } from 'vitest';
import { drivenIds, initialAppState, reduceAppState, resumePlan } from '../../electron/main/app-state.ts';
import { DEFAULT_SETTINGS } from '../../electron/store/settings/index.ts';
import { project } from './views.ts';

describe('reduceAppState', () => {
  const start = initialAppState(true, DEFAULT_SETTINGS.notifications);

  it('takes the project list from a snapshot', () => {
    const next = reduceAppState(start, { type: 'snapshot', projects: [project('a', 'idle')], at: '2026-01-01T00:00:00Z' });
    expect(next.projects.map((p) => p.id)).toEqual(['a']);
    expect(next.launchAtLogin).toBe(true);
  });

  it('replaces one project on a status push, and drops one for an unknown project', () => {
    const listed = reduceAppState(start, { type: 'snapshot', projects: [project('a', 'idle'), project('b', 'idle')], at: '' });
    const next = reduceAppState(listed, { type: 'status', project_id: 'b', project: project('b', 'running') });
    expect(next.projects.map((p) => p.status?.state)).toEqual(['idle', 'running']);
    expect(reduceAppState(listed, { type: 'status', project_id: 'zz', project: project('zz', 'running') })).toBe(listed);
  });

  it('remembers the latest report', () => {
    const next = reduceAppState(start, {
      type: 'report',
      project_id: 'a',
      kind: 'progress',
      path: 'C:\\code\\a\\.goldloop\\reports\\r-progress.md',
    });
    expect(next.latestReport).toEqual({ projectId: 'a', name: 'r-progress.md' });
  });

  it('returns the same state for events the tray does not show', () => {
    expect(reduceAppState(start, { type: 'agent_line', project_id: 'a', iteration: 1, n: 0, stream: 'stdout', line: 'x' })).toBe(start);
  });
});

describe('runs to resume', () => {
  it('records the driven projects', () => {
    expect(drivenIds([project('b', 'running'), project('a', 'break'), project('c', 'paused')])).toEqual(['a', 'b']);
  });

  it('resumes what the quit paused, restarts what a crash left running, and skips the rest', () => {
    const projects = [
      project('a', 'paused'),
      project('b', 'running', { driven: false }),
      project('c', 'running'),
      project('d', undefined, { error: 'gone' }),
    ];
    expect(resumePlan(['a', 'b', 'c', 'd', 'removed'], projects)).toEqual([
      { kind: 'resume', projectId: 'a' },
      { kind: 'start', projectId: 'b' },
    ]);
  });
});
