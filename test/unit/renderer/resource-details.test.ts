/** What the resource drawer lists beside the JSON. */
import { describe, expect, it } from 'vitest';
import { resourceDetails } from '../../../src-renderer/src/model/resource-details.js';
import { ENTERPRISE_USER } from '../../../src-renderer/src/model/resources.js';
import { createRefresher } from '../../../src-renderer/src/model/refresher.js';

describe('resource details', () => {
  it('reads a user’s groups, manager and meta', () => {
    const details = resourceDetails('User', {
      id: 'u1',
      schemas: [],
      userName: 'ada@example.com',
      groups: [{ value: 'g1', display: 'Analysts' }, { value: '' }],
      [ENTERPRISE_USER]: { manager: { value: 'u0', displayName: 'Grace' } },
      meta: { resourceType: 'User', created: '2026-01-01T00:00:00Z', version: 'W/"1"', unknown: 'x' },
    });
    expect(details.title).toBe('ada@example.com');
    expect(details.groups).toEqual([{ type: 'Group', id: 'g1', label: 'Analysts' }]);
    expect(details.manager).toEqual({ type: 'User', id: 'u0', label: 'Grace' });
    expect(details.meta).toEqual([
      ['resourceType', 'User'],
      ['created', '2026-01-01T00:00:00Z'],
      ['version', 'W/"1"'],
    ]);
  });

  it('reads a group’s members, typed or not, with case-insensitive attribute names', () => {
    const details = resourceDetails('Group', {
      id: 'g1',
      schemas: [],
      DisplayName: 'Analysts',
      Members: [{ value: 'u1', display: 'Ada', type: 'User' }, { value: 'g2', type: 'Group' }, { value: 'u3' }],
    });
    expect(details.title).toBe('Analysts');
    expect(details.members).toEqual([
      { type: 'User', id: 'u1', label: 'Ada' },
      { type: 'Group', id: 'g2', label: 'g2' },
      { type: 'User', id: 'u3', label: 'u3' },
    ]);
    expect(details.groups).toEqual([]);
    expect(details.manager).toBeUndefined();
  });
});

describe('refresher', () => {
  it('folds a burst of changes into one load, and a steady stream into few', async () => {
    let loads = 0;
    const refresher = createRefresher(async () => {
      loads++;
    }, 5, 60);
    for (let i = 0; i < 100; i++) refresher.request();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(loads).toBe(1);
    // A change every few ms for 200 ms: at most one load per 60 ms.
    const until = Date.now() + 200;
    while (Date.now() < until) {
      refresher.request();
      await new Promise((resolve) => setTimeout(resolve, 4));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    refresher.cancel();
    expect(loads).toBeGreaterThanOrEqual(2);
    expect(loads).toBeLessThanOrEqual(6);
  });
});
