import { useCallback, useEffect, useState } from 'react';
import { formatRoute, parseRoute, type Route, type ViewId } from './route';

export interface Navigate {
  /** Goes to a view (a history entry the back button returns from). */
  (view: ViewId, params?: Readonly<Record<string, string>>): void;
}

/** The route in the URL hash, and two ways to change it: navigate (new entry) and replace params (same entry). */
export function useRoute(): { route: Route; navigate: Navigate; setParams: (params: Readonly<Record<string, string | undefined>>) => void } {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));

  useEffect(() => {
    const onHashChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const navigate = useCallback<Navigate>((view, params = {}) => {
    const next = { view, params };
    window.history.pushState(null, '', formatRoute(next));
    setRoute(next);
  }, []);

  const setParams = useCallback((params: Readonly<Record<string, string | undefined>>) => {
    setRoute((current) => {
      const merged: Record<string, string> = { ...current.params };
      for (const [key, value] of Object.entries(params)) {
        if (value === undefined || value === '') delete merged[key];
        else merged[key] = value;
      }
      const next = { view: current.view, params: merged };
      // Filters and pages replace the entry: the back button should leave the view, not undo typing.
      window.history.replaceState(null, '', formatRoute(next));
      return next;
    });
  }, []);

  return { route, navigate, setParams };
}
