/**
 * Create or edit a remote target. Secret fields are write-only: once saved they come back as
 * "saved", never as text, and leaving them empty keeps what is saved.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { TargetSummary } from '../../../../src-main/api/contract';
import { announce, Banner, Button, Dialog } from '../../components/ui';
import type { ViewProps } from '../../shell/view-props';
import { describeFailure } from '../../transport/errors';
import {
  AUTH_KINDS,
  emptyForm,
  formFromTarget,
  secretField,
  secretSaved,
  serverErrorAt,
  toSaveArgs,
  validateForm,
  type AuthKind,
  type FormErrors,
  type FormField,
  type TargetForm,
} from './target-form';

export function TargetEditor({ bridge, origin, saved, onSaved, onDeleted }: {
  bridge: ViewProps['bridge'];
  origin: string;
  /** The target being edited; absent for a new one. */
  saved?: TargetSummary;
  onSaved: (target: TargetSummary) => void;
  onDeleted: () => void;
}) {
  const [form, setForm] = useState<TargetForm>(() => (saved ? formFromTarget(saved) : emptyForm()));
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [message, setMessage] = useState<string>();
  const idBase = useId();
  const formRef = useRef<HTMLFormElement>(null);
  // Bumped by a save the form refused: the first field it marked gets focus, where the fix is typed.
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);

  const set = <K extends keyof TargetForm>(key: K, value: TargetForm[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    setMessage(undefined);
  };

  async function save(): Promise<void> {
    const found = validateForm(form, saved);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      announce('The target was not saved: check the highlighted fields.');
      setRefusals((count) => count + 1);
      return;
    }
    setBusy(true);
    try {
      const result = await bridge.saveTarget(toSaveArgs(form));
      // The secrets are in Node now; the form forgets them.
      setForm(formFromTarget(result));
      const text = `Saved ${result.name}.`;
      setMessage(text);
      announce(text);
      onSaved(result);
    } catch (error) {
      setErrors(serverErrorAt(describeFailure(error, { origin })));
      setRefusals((count) => count + 1);
    } finally {
      setBusy(false);
    }
  }

  async function remove(): Promise<void> {
    if (!saved) return;
    setBusy(true);
    try {
      await bridge.deleteTarget(saved.id);
      announce(`Deleted ${saved.name}.`);
      setConfirmDelete(false);
      onDeleted();
    } catch (error) {
      setErrors({ form: describeFailure(error, { origin }) });
      setConfirmDelete(false);
    } finally {
      setBusy(false);
    }
  }

  const field = (name: FormField, label: string, input: { type?: string; placeholder?: string; hint?: ReactNode; secret?: boolean; autoFocus?: boolean } = {}) => {
    const id = `${idBase}-${name}`;
    const error = errors[name];
    const isSecret = input.secret === true;
    const keeps = isSecret && secretSaved(saved, form.authKind);
    const hint = keeps ? 'Type a new one only to replace it.' : input.hint;
    return (
      <div className="form-row">
        <label htmlFor={id}>{label}</label>
        <div className="form-control">
          <input
            id={id}
            className="input"
            type={isSecret ? 'password' : (input.type ?? 'text')}
            autoComplete={isSecret ? 'new-password' : 'off'}
            spellCheck={false}
            value={form[name]}
            placeholder={keeps ? 'saved — leave empty to keep' : input.placeholder}
            aria-invalid={error ? true : undefined}
            aria-describedby={error || hint ? `${id}-note` : undefined}
            autoFocus={input.autoFocus}
            onChange={(event) => set(name, event.target.value)}
          />
          {(error || hint) && (
            <p id={`${id}-note`} className={error ? 'field-error' : 'field-hint'}>
              {error ?? hint}
            </p>
          )}
        </div>
      </div>
    );
  };

  const authId = `${idBase}-auth`;
  const title = saved ? saved.name : 'New remote target';
  return (
    <section className="card target-editor" aria-labelledby={`${idBase}-title`}>
      <header className="card-head">
        <h2 id={`${idBase}-title`} className="card-title">
          {title}
        </h2>
        {saved && (
          <Button size="sm" variant="danger" onClick={() => setConfirmDelete(true)} disabled={busy}>
            Delete…
          </Button>
        )}
      </header>
      <form
        ref={formRef}
        className="target-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        {errors.form && <Banner tone="error">{errors.form}</Banner>}
        {field('name', 'Name', { placeholder: 'Staging SCIM API', autoFocus: !saved })}
        {field('baseUrl', 'Base URL', { type: 'url', placeholder: 'https://scim.example.com/scim/v2' })}
        <div className="form-row">
          <label htmlFor={authId}>Authentication</label>
          <div className="form-control">
            <select id={authId} className="input" value={form.authKind} onChange={(event) => set('authKind', event.target.value as AuthKind)}>
              {AUTH_KINDS.map(({ kind, label }) => (
                <option key={kind} value={kind}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </div>
        {form.authKind === 'bearer' && field('token', 'Token', { secret: true, hint: 'Sent as Authorization: Bearer <token>.' })}
        {form.authKind === 'basic' && (
          <>
            {field('username', 'Username')}
            {field('password', 'Password', { secret: true })}
          </>
        )}
        {form.authKind === 'header' && (
          <>
            {field('headerName', 'Header name', { placeholder: 'X-API-Key' })}
            {field('headerValue', 'Header value', { secret: true })}
          </>
        )}
        {form.authKind === 'oauth-client-credentials' && (
          <>
            {field('tokenUrl', 'Token URL', { type: 'url', placeholder: 'https://login.example.com/oauth2/token' })}
            {field('clientId', 'Client ID')}
            {field('clientSecret', 'Client secret', { secret: true })}
            {field('scope', 'Scope', { placeholder: 'optional, e.g. scim.write' })}
            <div className="form-row">
              <label htmlFor={`${idBase}-client-auth`}>Client authentication</label>
              <div className="form-control">
                <select
                  id={`${idBase}-client-auth`}
                  className="input"
                  value={form.clientAuthentication}
                  onChange={(event) => set('clientAuthentication', event.target.value as 'basic' | 'body')}
                >
                  <option value="basic">HTTP Basic header (client_secret_basic)</option>
                  <option value="body">In the request body (client_secret_post)</option>
                </select>
              </div>
            </div>
          </>
        )}
        <div className="form-row">
          <span />
          <div className="form-control">
            <label className="checkbox">
              <input type="checkbox" checked={form.insecure} onChange={(event) => set('insecure', event.target.checked)} />
              Accept a self-signed certificate
            </label>
            <p className="field-hint">Only for a test server: its TLS certificate is then not checked.</p>
          </div>
        </div>
        {field('timeout', 'Timeout (s)', { type: 'number', placeholder: '30', hint: 'Per request; empty for the default.' })}
        <div className="form-row">
          <span />
          <div className="form-control form-buttons">
            <Button type="submit" variant="primary" disabled={busy}>
              {saved ? 'Save changes' : 'Save target'}
            </Button>
            {saved && (
              <Button
                onClick={() => {
                  setForm(formFromTarget(saved));
                  setErrors({});
                }}
                disabled={busy}
              >
                Revert
              </Button>
            )}
            {message && <span className="action-result-inline">{message}</span>}
          </div>
        </div>
      </form>
      {saved && (
        <Dialog
          open={confirmDelete}
          title={`Delete ${saved.name}?`}
          onClose={() => setConfirmDelete(false)}
          testId="confirm-delete-target"
          footer={
            <>
              <Button onClick={() => setConfirmDelete(false)} data-autofocus>
                Keep it
              </Button>
              <Button variant="danger" onClick={() => void remove()} disabled={busy}>
                Delete target
              </Button>
            </>
          }
        >
          <p>
            The target and its saved {secretField(saved.auth.kind) ? 'secret' : 'settings'} are deleted. Runs in History that used it
            stay.
          </p>
        </Dialog>
      )}
    </section>
  );
}
