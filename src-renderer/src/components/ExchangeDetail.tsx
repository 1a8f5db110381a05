import { useState } from 'react';
import type { RequestLogEntry } from '../../../src-main/api/contract';
import { bulkOperations, displayPath, formatBody, formatDuration, sortedHeaders, statusTone } from '../model/traffic';

type Side = 'request' | 'response';

export function ExchangeDetail({ entry, basePath, onClose }: { entry: RequestLogEntry; basePath: string; onClose: () => void }) {
  const [side, setSide] = useState<Side>('response');
  const headers = side === 'request' ? entry.requestHeaders : entry.responseHeaders;
  const body = formatBody(side === 'request' ? entry.requestBody : entry.responseBody);
  const operations = bulkOperations(entry);
  return (
    <div className="exchange" data-testid="exchange-detail">
      <div className="exchange-head">
        <span className={`method method-${entry.method.toLowerCase()}`}>{entry.method}</span>
        <code className="exchange-url" title={entry.url}>
          {displayPath(entry.url, basePath)}
        </code>
        <span className={`pill ${statusTone(entry.status)}`}>{entry.status}</span>
        <span className="traffic-duration" data-volatile>{formatDuration(entry.durationMs)}</span>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          ✕
        </button>
      </div>
      <div
        className="tabs small"
        role="tablist"
        aria-label="Exchange side"
        onKeyDown={(event) => {
          if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
          event.preventDefault();
          const next = side === 'request' ? 'response' : 'request';
          setSide(next);
          event.currentTarget.querySelector<HTMLElement>(`#exchange-tab-${next}`)?.focus();
        }}
      >
        {(['request', 'response'] as const).map((name) => (
          <button
            key={name}
            id={`exchange-tab-${name}`}
            type="button"
            role="tab"
            aria-selected={side === name}
            aria-controls="exchange-panel"
            tabIndex={side === name ? 0 : -1}
            className={`tab ${side === name ? 'selected' : ''}`}
            onClick={() => setSide(name)}
          >
            {name === 'request' ? 'Request' : 'Response'}
          </button>
        ))}
      </div>
      <div className="exchange-body" id="exchange-panel" role="tabpanel" aria-labelledby={`exchange-tab-${side}`}>
        {side === 'response' && operations && (
          <table className="bulk-table" data-testid="bulk-operations" aria-label="Bulk operations">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Operation</th>
                <th scope="col">bulkId</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {operations.map((op, index) => (
                <tr key={index} data-testid="bulk-operation">
                  <td className="mono muted">{index + 1}</td>
                  <td className="mono" title={op.detail ?? op.location}>
                    <span className={`method method-${op.method.toLowerCase()}`}>{op.method}</span> {op.path ?? op.location ?? ''}
                    {op.detail && <div className="bulk-detail">{op.detail}</div>}
                  </td>
                  <td className="mono muted">{op.bulkId ?? '—'}</td>
                  <td>
                    <span className={`pill ${statusTone(op.status)}`}>{op.status}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {entry.notes.length > 0 && (
          <ul className="notes">
            {entry.notes.map((note, index) => (
              <li key={index}>
                <code className="note-code">{note.code}</code> {note.detail}
              </li>
            ))}
          </ul>
        )}
        <table className="headers-table">
          <tbody>
            {sortedHeaders(headers).map(([name, value]) => (
              <tr key={name}>
                <th>{name}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {body ? <pre className="body-view" tabIndex={0} data-testid="exchange-body">{body}</pre> : <div className="empty small">No body</div>}
      </div>
    </div>
  );
}
