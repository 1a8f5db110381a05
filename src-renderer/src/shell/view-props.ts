import type { ConsoleBridge, ServerInfo } from '../../../src-main/api/contract';
import type { Connection } from '../transport/connection';
import type { Route } from './route';
import type { Navigate } from './use-route';

/** What every view gets from the shell. */
export interface ViewProps {
  readonly bridge: ConsoleBridge;
  readonly connection: Connection;
  /** Undefined until the first getServerInfo answers. */
  readonly server: ServerInfo | undefined;
  readonly route: Route;
  readonly navigate: Navigate;
  /** Changes this view's URL params in place (tab, filter, page, selection). */
  readonly setParams: (params: Readonly<Record<string, string | undefined>>) => void;
}
