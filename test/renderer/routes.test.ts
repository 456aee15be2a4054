import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type DashboardRoute } from '../../electron/contract/routes.ts';

describe('dashboard routes', () => {
  it('round-trips every target a notification or the tray can name', () => {
    const routes: DashboardRoute[] = [
      {},
      { project_id: 'shop' },
      { project_id: 'shop', item: { kind: 'checklist' } },
      { project_id: 'shop', item: { kind: 'log' } },
      { project_id: 'shop', item: { kind: 'settings' } },
      { project_id: 'shop', item: { kind: 'report', name: '2026-11-24T06-00-00Z-status.md' } },
      { project_id: 'my-app-2', item: { kind: 'report', name: 'odd name #1/2.md' } },
    ];
    for (const r of routes) expect(parseRoute(`#${formatRoute(r)}`)).toEqual(r);
    expect(formatRoute({ project_id: 'shop', item: { kind: 'report', name: 'a b.md' } })).toBe('/project/shop/report/a%20b.md');
  });

  it('reads a stale or mistyped link as the plain dashboard, or just its project', () => {
    expect(parseRoute('')).toEqual({});
    expect(parseRoute('#/')).toEqual({});
    expect(parseRoute('#/projects/shop')).toEqual({});
    expect(parseRoute('#/project/%E0%A4%A')).toEqual({});
    expect(parseRoute('#/project/shop/charts')).toEqual({ project_id: 'shop' });
    expect(parseRoute('#/project/shop/report')).toEqual({ project_id: 'shop' });
    expect(parseRoute('#/project/shop/report/%E0%A4%A')).toEqual({ project_id: 'shop' });
    expect(parseRoute('/project/shop/log/extra')).toEqual({ project_id: 'shop' });
  });
});
