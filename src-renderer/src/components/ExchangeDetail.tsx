import { useState } from 'react';
import type { RequestLogEntry } from '../../../src-main/api/contract';
import { displayPath, formatBody, formatDuration, sortedHeaders, statusTone } from '../model/traffic';

type Side = 'request' | 'response';

export function ExchangeDetail({ entry, basePath, onClose }: { entry: RequestLogEntry; basePath: string; onClose: () => void }) {
  const [side, setSide] = useState<Side>('response');
  const headers = side === 'request' ? entry.requestHeaders : entry.responseHeaders;
  const body = formatBody(side === 'request' ? entry.requestBody : entry.responseBody);
  return (
    <div className="exchange" data-testid="exchange-detail">
      <div className="exchange-head">
        <span className={`method method-${entry.method.toLowerCase()}`}>{entry.method}</span>
        <code className="exchange-url" title={entry.url}>
          {displayPath(entry.url, basePath)}
        </code>
        <span className={`pill ${statusTone(entry.status)}`}>{entry.status}</span>
        <span className="traffic-duration">{formatDuration(entry.durationMs)}</span>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          ✕
        </button>
      </div>
      <div className="tabs small" role="tablist">
        {(['request', 'response'] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={side === name}
            className={`tab ${side === name ? 'selected' : ''}`}
            onClick={() => setSide(name)}
          >
            {name === 'request' ? 'Request' : 'Response'}
          </button>
        ))}
      </div>
      <div className="exchange-body">
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
        {body ? <pre className="body-view" data-testid="exchange-body">{body}</pre> : <div className="empty small">No body</div>}
      </div>
    </div>
  );
}
