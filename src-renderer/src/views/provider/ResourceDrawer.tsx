import { useEffect, useRef, useState } from 'react';
import type { ConsoleBridge, GetResourceResult, RequestLogEntry, ResourceType } from '../../../../src-main/api/contract';
import { CopyButton } from '../../components/CopyButton';
import { ScimErrorBanner } from '../../components/ScimErrorBanner';
import { resourceDetails, type ResourceLink } from '../../model/resource-details';
import { displayPath, exchangesMentioning, formatTime, statusTone } from '../../model/traffic';

export interface OpenResource {
  readonly type: ResourceType;
  readonly id: string;
}

/**
 * One resource, as the server returns it, beside the directory: its id to copy, the groups,
 * members and manager it points at (each opens in turn), its meta, the logged exchanges that
 * mention it, and the JSON. Takes focus when it opens; Esc or Close hands focus back.
 */
export function ResourceDrawer(props: {
  bridge: ConsoleBridge;
  open: OpenResource;
  /** Bumps when a live change touched this resource, so the drawer re-reads it. */
  revision: number;
  traffic: readonly RequestLogEntry[];
  basePath: string;
  onOpen: (resource: OpenResource) => void;
  onShowExchange: (seq: number) => void;
  onClose: () => void;
}) {
  const { bridge, open, revision, traffic, basePath, onOpen, onShowExchange, onClose } = props;
  const [result, setResult] = useState<GetResourceResult | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let current = true;
    setFailure(undefined);
    bridge.getResource(open.type, open.id).then(
      (value) => current && setResult(value),
      (error: unknown) => current && setFailure(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      current = false;
    };
  }, [bridge, open.type, open.id, revision]);

  // Focus moves into the drawer when it opens and when it shows another resource.
  useEffect(() => {
    heading.current?.focus();
  }, [open.type, open.id]);

  const resource = result?.ok && result.resource.id === open.id ? result.resource : undefined;
  const details = resource ? resourceDetails(open.type, resource) : undefined;
  const exchanges = exchangesMentioning(traffic, open.id);

  return (
    <aside
      className="drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby="drawer-title"
      data-testid="resource-drawer"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <header className="drawer-head">
        <span className="pill neutral">{open.type}</span>
        <h2 id="drawer-title" className="drawer-title" tabIndex={-1} ref={heading} title={details?.title}>
          {details?.title ?? open.id}
        </h2>
        <button type="button" className="icon-button" aria-label="Close resource (Esc)" title="Close (Esc)" onClick={onClose}>
          ✕
        </button>
      </header>
      <div className="drawer-body">
        <div className="drawer-id">
          <span className="field-label">id</span>
          <code data-testid="drawer-id">{open.id}</code>
          <CopyButton text={open.id} label="Copy id" />
        </div>
        {failure && (
          <div className="error-banner" role="alert">
            <p className="error-detail">{failure}</p>
          </div>
        )}
        {result && !result.ok && <ScimErrorBanner status={result.status} error={result.error} />}
        {details && (
          <>
            {open.type === 'User' && (
              <LinkSection title="Groups" links={details.groups} empty="In no group." onOpen={onOpen} />
            )}
            {open.type === 'User' && (
              <LinkSection title="Manager" links={details.manager ? [details.manager] : []} empty="No manager." onOpen={onOpen} />
            )}
            {open.type === 'Group' && <LinkSection title="Members" links={details.members} empty="No members." onOpen={onOpen} />}
            {details.meta.length > 0 && (
              <section className="drawer-section" aria-label="Meta">
                <h3>Meta</h3>
                <dl className="meta-list">
                  {details.meta.map(([name, value]) => (
                    <div key={name}>
                      <dt>{name}</dt>
                      <dd className="mono" title={value}>
                        {value}
                      </dd>
                    </div>
                  ))}
                </dl>
              </section>
            )}
          </>
        )}
        <section className="drawer-section" aria-label="Exchanges">
          <h3>
            Exchanges <span className="tab-count">{exchanges.length}</span>
          </h3>
          {exchanges.length === 0 ? (
            <p className="muted small-text">No logged exchange mentions this id.</p>
          ) : (
            <ul className="drawer-exchanges" data-testid="drawer-exchanges">
              {exchanges.slice(0, 50).map((entry) => (
                <li key={entry.seq}>
                  <button type="button" className="drawer-exchange" onClick={() => onShowExchange(entry.seq)}>
                    <span className={`method method-${entry.method.toLowerCase()}`}>{entry.method}</span>
                    <span className="traffic-path">{displayPath(entry.url, basePath)}</span>
                    <span className={`pill ${statusTone(entry.status)}`}>{entry.status}</span>
                    <span className="traffic-time">{formatTime(entry.startedAt)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        {resource && (
          <section className="drawer-section" aria-label="JSON">
            <h3>JSON</h3>
            <pre className="body-view drawer-json" tabIndex={0} data-testid="drawer-json">
              {JSON.stringify(resource, null, 2)}
            </pre>
          </section>
        )}
      </div>
    </aside>
  );
}

function LinkSection(props: { title: string; links: readonly ResourceLink[]; empty: string; onOpen: (resource: OpenResource) => void }) {
  return (
    <section className="drawer-section" aria-label={props.title}>
      <h3>
        {props.title} {props.links.length > 1 && <span className="tab-count">{props.links.length}</span>}
      </h3>
      {props.links.length === 0 ? (
        <p className="muted small-text">{props.empty}</p>
      ) : (
        <ul className="link-list">
          {props.links.slice(0, 200).map((link) => (
            <li key={link.id}>
              {link.type ? (
                <button type="button" className="link-button" onClick={() => props.onOpen({ type: link.type!, id: link.id })}>
                  {link.label}
                </button>
              ) : (
                <span>{link.label}</span>
              )}
            </li>
          ))}
          {props.links.length > 200 && <li className="muted">and {props.links.length - 200} more</li>}
        </ul>
      )}
    </section>
  );
}
