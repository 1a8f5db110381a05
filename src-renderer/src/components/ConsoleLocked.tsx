/**
 * Shown instead of the console when the browser lacks the console secret: the page itself loads
 * without it, so it can say which URL to open rather than fail with errors.
 */
export function ConsoleLocked() {
  const example = `${window.location.origin}/?secret=…`;
  return (
    <div className="locked" role="alert" data-testid="console-locked">
      <div className="locked-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            S
          </span>
          <div className="brand-text">
            <span className="brand-name">Scimulator</span>
            <span className="brand-sub">SCIM 2.0 provider</span>
          </div>
        </div>
        <h1>Open the console with its secret link</h1>
        <p>
          This page was opened without the console’s secret, so it cannot show the directory, the bearer token or the
          traffic. Open the <strong>Console</strong> URL that <code>scimulator serve</code> or <code>npm start</code>{' '}
          printed when it started. It looks like:
        </p>
        <p>
          <code className="locked-example">{example}</code>
        </p>
        <p className="muted">
          The secret changes every time Scimulator starts: after a restart, use the newly printed link. It is only needed
          once per browser session.
        </p>
      </div>
    </div>
  );
}
