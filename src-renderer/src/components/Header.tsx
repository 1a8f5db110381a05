import { useState } from 'react';
import type { ServerInfo } from '../../../src-main/api/contract';
import type { ConnectionState } from '../transport/connection';
import { CopyButton } from './CopyButton';

const CONNECTION_LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  unauthorized: 'Locked',
};

export function Header(props: {
  info: ServerInfo | undefined;
  failure: string | undefined;
  connection: ConnectionState;
  transport: 'electron' | 'browser';
}) {
  const { info, failure, connection, transport } = props;
  const [revealToken, setRevealToken] = useState(false);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          S
        </span>
        <div className="brand-text">
          <span className="brand-name">Scimulator</span>
          <span className="brand-sub">SCIM 2.0 provider</span>
        </div>
      </div>

      <div className="endpoint" data-testid="base-url">
        <span className="field-label">Base URL</span>
        <code className="field-value">{info?.baseUrl ?? '…'}</code>
        {info && <CopyButton text={info.baseUrl} label="Copy base URL" />}
      </div>

      <div className="endpoint token" data-testid="token">
        <span className="field-label">Bearer token</span>
        <code className="field-value">{info ? (revealToken ? info.token : maskToken(info.token)) : '…'}</code>
        {info && (
          <>
            <button type="button" className="icon-button" onClick={() => setRevealToken((shown) => !shown)}>
              {revealToken ? 'Hide' : 'Show'}
            </button>
            <CopyButton text={info.token} label="Copy bearer token" />
          </>
        )}
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
          className={`connection ${failure ? 'down' : connection}`}
          title={failure ?? `${transport === 'electron' ? 'Electron IPC' : 'HTTP + Server-Sent Events'}`}
        >
          <span className="dot" aria-hidden="true" />
          {failure ? 'Unreachable' : CONNECTION_LABEL[connection]}
        </div>
      </div>
    </header>
  );
}

/** Enough of the token to recognise it, not enough to read it off a screen share. */
function maskToken(token: string): string {
  if (token.length <= 8) return '•'.repeat(token.length);
  return `${token.slice(0, 4)}${'•'.repeat(12)}${token.slice(-4)}`;
}
