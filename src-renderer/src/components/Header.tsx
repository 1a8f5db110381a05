/**
 * The top bar: who we are, where the SCIM endpoint is (the Tenant URL, one click to copy), how big
 * the directory is, whether the live connection holds, and the way to Connect; then the theme and
 * the shortcuts. The token itself is on the Connect view, not in a bar that is always on screen.
 */
import type { ServerInfo } from '../../../src-main/api/contract';
import type { ConnectionState } from '../transport/connection';
import { ThemeSwitch } from '../shell/ThemeSwitch';
import { CopyButton } from './CopyButton';

const CONNECTION_LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  unauthorized: 'Locked',
};

export function Header(props: {
  info: ServerInfo | undefined;
  /** Already in words (transport/errors.ts). */
  failure: string | undefined;
  connection: ConnectionState;
  transport: 'electron' | 'browser';
  onConnect: () => void;
  onHelp: () => void;
}) {
  const { info, failure, connection, transport, onConnect, onHelp } = props;
  const state = failure ? 'down' : connection;
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          S
        </span>
        <div className="brand-text">
          <span className="brand-name">Scimulator</span>
          <span className="brand-sub">SCIM 2.0 provider · mock IdP</span>
        </div>
      </div>

      <div className="endpoint" data-testid="base-url">
        <span className="field-label">Tenant URL</span>
        <code className="field-value" title={info?.baseUrl} data-volatile>
          {info?.baseUrl ?? '…'}
        </code>
        {info && <CopyButton text={info.baseUrl} label="Copy tenant URL" />}
      </div>

      <div className="header-stats">
        <div className="stat">
          <span className="stat-value" data-testid="user-count">
            {info?.users ?? '–'}
          </span>
          <span className="stat-label">users</span>
        </div>
        <div className="stat">
          <span className="stat-value" data-testid="group-count">
            {info?.groups ?? '–'}
          </span>
          <span className="stat-label">groups</span>
        </div>
        <div
          className={`connection ${state}`}
          data-testid="connection-state"
          title={failure ?? (transport === 'electron' ? 'Electron IPC' : 'HTTP + Server-Sent Events')}
        >
          <span className="dot" aria-hidden="true" />
          {failure ? 'Unreachable' : CONNECTION_LABEL[connection]}
        </div>
      </div>

      <div className="header-actions">
        <button type="button" className="header-button primary" onClick={onConnect}>
          Connect
        </button>
        <ThemeSwitch />
        <button type="button" className="header-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={onHelp}>
          ?
        </button>
      </div>
    </header>
  );
}
