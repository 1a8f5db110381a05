import type { ScimErrorBody } from '../../../src-main/api/contract';

/** The server's SCIM error, shown verbatim: what a client under test would have received. */
export function ScimErrorBanner({ status, error }: { status: number; error: ScimErrorBody }) {
  return (
    <div className="error-banner" role="alert" data-testid="scim-error">
      <div className="error-head">
        <span className="pill client-error">{status}</span>
        {error.scimType && <code className="error-type">{error.scimType}</code>}
      </div>
      <p className="error-detail">{error.detail}</p>
    </div>
  );
}
