import type { ComponentType } from 'react';
import type { ViewId } from './route';
import type { ViewProps } from './view-props';
import { ConnectView } from '../views/connect/ConnectView';
import { TargetsView } from '../views/targets/TargetsView';
import { IdpView } from '../views/idp/IdpView';
import { ScenariosView } from '../views/scenarios/ScenariosView';
import { RunView } from '../views/run/RunView';
import { HistoryView } from '../views/history/HistoryView';
import { ProviderView } from '../views/provider/ProviderView';
import { DemoView } from '../views/demo/DemoView';

export interface ViewDefinition {
  readonly id: ViewId;
  readonly label: string;
  /** The digit of its keyboard shortcut (Ctrl/Cmd + digit). */
  readonly key: string;
  readonly component: ComponentType<ViewProps>;
}

/** The console's views, in navigation order. */
export const VIEWS: readonly ViewDefinition[] = [
  { id: 'connect', label: 'Connect', key: '1', component: ConnectView },
  { id: 'targets', label: 'Targets', key: '2', component: TargetsView },
  { id: 'idp', label: 'IdP', key: '3', component: IdpView },
  { id: 'scenarios', label: 'Scenarios', key: '4', component: ScenariosView },
  { id: 'run', label: 'Run', key: '5', component: RunView },
  { id: 'history', label: 'History', key: '6', component: HistoryView },
  { id: 'provider', label: 'Local provider', key: '7', component: ProviderView },
  { id: 'demo', label: 'Demo', key: '8', component: DemoView },
];
