import { useState } from 'react';
import { parseBody } from '../../model/side-by-side';

/** A body, pretty-printed and wrapped when it is JSON, with the bytes as received one click away. */
export function Body({ body, label }: { body: string | undefined; label: string }) {
  const [raw, setRaw] = useState(false);
  if (body === undefined || body === '') return <div className="xb-empty">No body</div>;
  const parsed = parseBody(body);
  const isJson = typeof parsed === 'object' && parsed !== null;
  const shown = isJson && !raw ? JSON.stringify(parsed, null, 2) : body;
  return (
    <div className="xb">
      <div className="xb-tools">
        <span className="xb-label">{label}</span>
        {isJson && (
          <button type="button" className="xb-toggle" aria-pressed={raw} onClick={() => setRaw(!raw)}>
            {raw ? 'Pretty' : 'Raw'}
          </button>
        )}
      </div>
      <pre className={`xb-code ${raw ? 'raw' : ''}`} tabIndex={0} aria-label={label} data-testid="exchange-body">
        {shown}
      </pre>
    </div>
  );
}
