import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, formatRoute, parseRoute, VIEW_IDS } from '../../../src-renderer/src/shell/route';

describe('hash routes', () => {
  it('reads the view and its params', () => {
    expect(parseRoute('#/provider?tab=groups&filter=userName%20sw%20%22a%22&page=3')).toEqual({
      view: 'provider',
      params: { tab: 'groups', filter: 'userName sw "a"', page: '3' },
    });
  });

  it('lands on the default view for an empty or unknown hash', () => {
    expect(parseRoute('')).toEqual({ view: DEFAULT_VIEW, params: {} });
    expect(parseRoute('#/')).toEqual({ view: DEFAULT_VIEW, params: {} });
    expect(parseRoute('#/nowhere?x=1')).toEqual({ view: DEFAULT_VIEW, params: { x: '1' } });
  });

  it('round-trips every view, leaving empty params out of the URL', () => {
    for (const view of VIEW_IDS) {
      const route = { view, params: { target: 'practice:broken', q: 'a&b=c' } };
      expect(parseRoute(formatRoute(route))).toEqual(route);
    }
    expect(formatRoute({ view: 'connect', params: { filter: '' } })).toBe('#/connect');
  });

  it('keeps a question mark inside a param value', () => {
    const route = { view: 'targets' as const, params: { target: 'new?' } };
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });
});
