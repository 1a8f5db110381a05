import { useMemo, useState } from 'react';
import type { RequestLogEntry } from '../../../src-main/api/contract';
import { displayPath, formatDuration, formatTime, isConsoleTraffic, statusTone } from '../model/traffic';
import { ExchangeDetail } from './ExchangeDetail';

export function TrafficPanel(props: { entries: readonly RequestLogEntry[]; basePath: string; onClear: () => void }) {
  const { entries, basePath, onClear } = props;
  const [showConsole, setShowConsole] = useState(false);
  const [selectedSeq, setSelectedSeq] = useState<number | undefined>();
  const visible = useMemo(
    () => (showConsole ? entries : entries.filter((entry) => !isConsoleTraffic(entry))),
    [entries, showConsole],
  );
  const selected = selectedSeq === undefined ? undefined : entries.find((entry) => entry.seq === selectedSeq);

  return (
    <section className="panel traffic" aria-label="Traffic">
      <div className="panel-header">
        <h2 className="panel-title">
          Traffic <span className="tab-count">{visible.length}</span>
        </h2>
        <div className="panel-tools">
          <label className="toggle" title="Requests the console makes to fill its own tables">
            <input type="checkbox" checked={showConsole} onChange={(event) => setShowConsole(event.target.checked)} />
            Console requests
          </label>
          <button
            type="button"
            className="button subtle"
            onClick={() => {
              setSelectedSeq(undefined);
              onClear();
            }}
          >
            Clear
          </button>
        </div>
      </div>
      <div className="traffic-list" role="list" data-testid="traffic-list">
        {visible.length === 0 ? (
          <div className="empty">
            Waiting for requests. Point a SCIM client at the base URL above.
          </div>
        ) : (
          visible.map((entry) => (
            <button
              type="button"
              role="listitem"
              key={entry.seq}
              data-testid="traffic-row"
              className={`traffic-row ${entry.seq === selectedSeq ? 'selected' : ''}`}
              onClick={() => setSelectedSeq(entry.seq === selectedSeq ? undefined : entry.seq)}
            >
              <span className={`method method-${entry.method.toLowerCase()}`}>{entry.method}</span>
              <span className="traffic-path" title={entry.url}>
                {displayPath(entry.url, basePath)}
              </span>
              <span className={`pill ${statusTone(entry.status)}`}>{entry.status}</span>
              <span className="traffic-duration">{formatDuration(entry.durationMs)}</span>
              <span className="traffic-time" title={entry.startedAt}>
                {formatTime(entry.startedAt)}
              </span>
            </button>
          ))
        )}
      </div>
      {selected && <ExchangeDetail entry={selected} basePath={basePath} onClose={() => setSelectedSeq(undefined)} />}
    </section>
  );
}
