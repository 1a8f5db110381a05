/**
 * Connect: the local provider as an IdP sees it. The two values Entra and Okta ask for (named as
 * they name them), the same as a curl command, where the directory lives and how to reset, import
 * or export it, and the chosen IdP's real connection test against it.
 */
import { useRef, useState } from 'react';
import type { ServerInfo } from '../../../../src-main/api/contract';
import { announce, Banner, Button, CopyButton, Dialog, download, Toolbar } from '../../components/ui';
import type { ViewProps } from '../../shell/view-props';
import { consoleOrigin, describeFailure } from '../../transport/errors';
import { ConnectionTest } from './ConnectionTest';
import './connect.css';

/** Enough of the token to recognise it, not enough to read it off a screen share. */
export function maskToken(token: string): string {
  if (token.length <= 8) return '•'.repeat(token.length);
  return `${token.slice(0, 4)}${'•'.repeat(12)}${token.slice(-4)}`;
}

export function curlCommand(baseUrl: string, token: string): string {
  return `curl -H "Authorization: Bearer ${token}" "${baseUrl}/Users?count=1"`;
}

export function ConnectView({ bridge, connection, server }: ViewProps) {
  const origin = consoleOrigin(connection.kind);
  return (
    <div className="connect-view">
      <div className="connect-column">
        <Credentials server={server} />
        <LocalDirectory server={server} bridge={bridge} origin={origin} />
      </div>
      <section className="card connect-test" aria-labelledby="connect-test-title">
        <header className="card-head">
          <h2 id="connect-test-title" className="card-title">
            Test connection
          </h2>
        </header>
        <p className="card-intro">
          Sends the chosen IdP’s own connection test to the local provider, request for request, and shows what came back.
        </p>
        <ConnectionTest bridge={bridge} server={server} target="local" idPrefix="connect" origin={origin} shortcuts />
      </section>
    </div>
  );
}

function Credentials({ server }: { server: ServerInfo | undefined }) {
  const [reveal, setReveal] = useState(false);
  const token = server?.token ?? '';
  const shownToken = reveal ? token : maskToken(token);
  return (
    <section className="card" aria-labelledby="credentials-title">
      <header className="card-head">
        <h2 id="credentials-title" className="card-title">
          Admin credentials
        </h2>
      </header>
      <p className="card-intro">
        Paste these into your IdP. <strong>Entra ID</strong>: Enterprise application → Provisioning → Admin Credentials.{' '}
        <strong>Okta</strong>: Provisioning → Integration: the Tenant URL is the <em>SCIM connector base URL</em>; the Secret
        Token goes in Authentication Mode <em>HTTP Header</em>.
      </p>
      <dl className="credential-list">
        <div className="credential" data-testid="tenant-url">
          <dt id="tenant-url-label">Tenant URL</dt>
          <dd>
            <code className="credential-value" aria-labelledby="tenant-url-label">
              {server?.baseUrl ?? '…'}
            </code>
            {server && <CopyButton text={server.baseUrl} label="Copy Tenant URL" className="btn btn-secondary btn-sm" />}
          </dd>
        </div>
        <div className="credential" data-testid="secret-token">
          <dt id="secret-token-label">Secret Token</dt>
          <dd>
            <code className="credential-value" aria-labelledby="secret-token-label">
              {server ? shownToken : '…'}
            </code>
            {server && (
              <>
                <Button size="sm" onClick={() => setReveal((shown) => !shown)} aria-pressed={reveal}>
                  {reveal ? 'Hide' : 'Show'}
                </Button>
                <CopyButton text={token} label="Copy Secret Token" className="btn btn-secondary btn-sm" />
              </>
            )}
          </dd>
        </div>
      </dl>
      <div className="curl">
        <div className="curl-head">
          <span className="curl-label">The same, with curl</span>
          {server && <CopyButton text={curlCommand(server.baseUrl, token)} label="Copy curl command" className="btn btn-ghost btn-sm" />}
        </div>
        <pre className="code-block curl-command" tabIndex={0} data-testid="curl-command">
          {server ? curlCommand(server.baseUrl, shownToken) : '…'}
        </pre>
      </div>
    </section>
  );
}

function LocalDirectory({ server, bridge, origin }: { server: ServerInfo | undefined; bridge: ViewProps['bridge']; origin: string }) {
  const [confirm, setConfirm] = useState<{ kind: 'reset' } | { kind: 'import'; fileName: string; json: string }>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);

  async function act(what: () => Promise<string>): Promise<void> {
    setBusy(true);
    setFailure(undefined);
    setDone(undefined);
    try {
      const message = await what();
      setDone(message);
      announce(message);
    } catch (error) {
      setFailure(describeFailure(error, { origin }));
    } finally {
      setBusy(false);
      setConfirm(undefined);
    }
  }

  const exportNow = () =>
    act(async () => {
      const json = await bridge.exportDirectory();
      download({ fileName: `scimulator-directory-${new Date().toISOString().slice(0, 10)}.json`, mimeType: 'application/json', content: json });
      return 'Exported the directory as a JSON file.';
    });

  async function pickImport(file: File | undefined): Promise<void> {
    if (fileInput.current) fileInput.current.value = '';
    if (!file) return;
    const json = await file.text();
    try {
      JSON.parse(json);
    } catch (error) {
      setFailure(`${file.name} isn’t JSON (${error instanceof Error ? error.message : String(error)}). Choose a file made by Export.`);
      return;
    }
    setConfirm({ kind: 'import', fileName: file.name, json });
  }

  return (
    <section className="card" aria-labelledby="directory-title">
      <header className="card-head">
        <h2 id="directory-title" className="card-title">
          Local directory
        </h2>
        <span className="muted" data-testid="directory-counts">
          {server ? `${server.users} users · ${server.groups} groups` : '…'}
        </span>
      </header>
      <dl className="fact-list">
        <div>
          <dt>Database file</dt>
          <dd>
            {server?.dbFile ? (
              <code className="wrap-anywhere" data-testid="db-file">{server.dbFile}</code>
            ) : (
              <span data-testid="db-file">In memory: nothing is saved, and the directory is gone when Scimulator stops.</span>
            )}
          </dd>
        </div>
        {server?.dataDir && (
          <div>
            <dt>Console data</dt>
            <dd>
              <code className="wrap-anywhere" data-volatile>
                {server.dataDir}
              </code>
            </dd>
          </div>
        )}
      </dl>
      <Toolbar label="Directory actions" className="card-actions">
        <Button onClick={() => void exportNow()} disabled={busy || !server}>
          Export…
        </Button>
        <Button onClick={() => fileInput.current?.click()} disabled={busy || !server}>
          Import…
        </Button>
        <Button variant="danger" onClick={() => setConfirm({ kind: 'reset' })} disabled={busy || !server}>
          Reset…
        </Button>
      </Toolbar>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        tabIndex={-1}
        aria-label="Directory file to import"
        onChange={(event) => void pickImport(event.target.files?.[0])}
      />
      {done && <p className="action-result">{done}</p>}
      {failure && <Banner tone="error">{failure}</Banner>}

      <Dialog
        open={confirm?.kind === 'reset'}
        title="Reset the local directory?"
        onClose={() => setConfirm(undefined)}
        testId="confirm-reset"
        footer={
          <>
            <Button onClick={() => setConfirm(undefined)} data-autofocus>
              Keep it
            </Button>
            <Button
              variant="danger"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await bridge.resetDirectory();
                  return 'The local directory is empty now.';
                })
              }
            >
              Delete {server ? `${server.users} users and ${server.groups} groups` : 'everything'}
            </Button>
          </>
        }
      >
        <p>
          Every user and group of the local provider is deleted. The Tenant URL and Secret Token stay the same, so your IdP
          stays connected. Export first if you may want them back.
        </p>
      </Dialog>

      <Dialog
        open={confirm?.kind === 'import'}
        title="Replace the local directory?"
        onClose={() => setConfirm(undefined)}
        testId="confirm-import"
        footer={
          <>
            <Button onClick={() => setConfirm(undefined)} data-autofocus>
              Cancel
            </Button>
            <Button
              variant="primary"
              disabled={busy}
              onClick={() => {
                if (confirm?.kind !== 'import') return;
                const { json, fileName } = confirm;
                void act(async () => {
                  const counts = await bridge.importDirectory(json);
                  return `Imported ${counts.users} users and ${counts.groups} groups from ${fileName}.`;
                });
              }}
            >
              Replace with {confirm?.kind === 'import' ? confirm.fileName : 'the file'}
            </Button>
          </>
        }
      >
        <p>The users and groups now in the local provider are replaced by those in the file.</p>
      </Dialog>
    </section>
  );
}
