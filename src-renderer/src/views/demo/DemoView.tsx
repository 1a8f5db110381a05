/**
 * Demo mode: provisioning shown to a room. The IdP's people on the left, the target's users on
 * the right, each step's requests travelling between them. The scenario runs once, for real;
 * the space bar reveals it one step at a time (see demo-model.ts).
 */
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { ScenarioInfo } from '../../../../src-main/api/contract';
import { lastScenarioFolder, pageStorage } from '../scenarios/last-folder';
import { baseName, parseRefParam, refParam, type OpenableRef } from '../scenarios/scenario-refs';
import type { ViewProps } from '../../shell/view-props';
import { describeError } from '../scenarios/describe-error';
import { LOCAL_TARGET, TargetSelect, useTargets } from '../scenarios/targets';
import { profileLabel } from '../idp/profiles';
import {
  advance,
  isWaiting,
  back,
  idpStateAt,
  isOver,
  parseDemoScript,
  settle,
  START,
  targetViewFrom,
  type DemoScript,
  type IdpPersonState,
  type Stepper,
} from './demo-model';
import { exchangesOfStep, type RunProgress } from './run-progress';
import { useRunProgress } from './use-run-progress';
import '../scenarios/scenarios.css';
import './demo.css';

interface Show {
  readonly runId: string;
  readonly script: DemoScript;
  readonly scenario: string;
  readonly targetName: string;
}

export function DemoView({ bridge, route, setParams }: ViewProps) {
  const { targets } = useTargets(bridge);
  const [builtins, setBuiltins] = useState<readonly ScenarioInfo[]>([]);
  /** The scenario files of the folder last opened in the Scenarios view (those that load). */
  const [files, setFiles] = useState<{ readonly folder: string; readonly files: readonly ScenarioInfo[] }>();
  const [show, setShow] = useState<Show>();
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);
  // Where focus goes when the stage closes: the button is disabled while starting, so focus had fallen to <body>.
  const startButton = useRef<HTMLButtonElement>(null);
  // `scenario=okta-lifecycle` for a built-in, `scenario=file:<path>` for a file of the folder.
  const scenario = route.params.scenario ?? 'okta-lifecycle';
  const ref: OpenableRef = parseRefParam(scenario) ?? { kind: 'builtin', name: scenario };
  const target = route.params.target ?? LOCAL_TARGET;
  // `seed` in the URL replays a demo with the same names and values, e.g. for a rehearsed talk.
  const seed = /^\d{1,9}$/.test(route.params.seed ?? '') ? Number(route.params.seed) : undefined;

  useEffect(() => {
    bridge.listBuiltinScenarios().then(setBuiltins, (failure: unknown) => setError(describeError(failure, 'The scenarios could not be listed')));
    const folder = lastScenarioFolder(pageStorage());
    // A folder that has gone since only leaves the built-ins: Scenarios is where it is opened again.
    if (folder) bridge.openScenarioFolder(folder).then((opened) => setFiles({ folder: opened.folder, files: opened.files.filter((file) => !file.issues?.length) }), () => undefined);
  }, [bridge]);

  const chosen = ref.kind === 'builtin' ? builtins.find((item) => item.name === ref.name) : files?.files.find((item) => item.ref.kind === 'file' && item.ref.path === ref.path);

  const start = async () => {
    setStarting(true);
    setError(undefined);
    try {
      const [text, started] = await Promise.all([bridge.readScenario(ref), bridge.startRun({ scenario: ref, target, ...(seed === undefined ? {} : { seed }) })]);
      const targetName = targets.find((candidate) => candidate.id === target)?.name ?? target;
      setShow({ runId: started.runId, script: parseDemoScript(text.text), scenario: chosen?.name ?? (ref.kind === 'file' ? baseName(ref.path) : ref.name), targetName });
    } catch (failure) {
      setError(describeError(failure, 'The demo could not start'));
    } finally {
      setStarting(false);
    }
  };


  return (
    <div className="demo-view">
      <h1 className="offscreen">Demo</h1>
      <section className="panel demo-setup" aria-label="Demo setup">
        <h2 className="demo-setup-title">Show SCIM provisioning to a room</h2>
        <p className="demo-setup-text">
          The scenario runs once against the target, for real. Then each press of <kbd>Space</kbd> shows the next step: what the IdP did, the
          requests it sent and what the target answered. <kbd>←</kbd> goes back a step, <kbd>Esc</kbd> leaves.
        </p>
        <div className="demo-setup-fields">
          <label className="sc-field">
            <span>Scenario</span>
            <select value={scenario} onChange={(event) => setParams({ scenario: event.target.value })} data-testid="demo-scenario">
              {!chosen && <option value={scenario}>{ref.kind === 'file' ? baseName(ref.path) : ref.name}</option>}
              <optgroup label="Built-in">
                {builtins.map((item) => (
                  <option key={item.name} value={item.name}>
                    {item.name}
                  </option>
                ))}
              </optgroup>
              {files && files.files.length > 0 && (
                <optgroup label={`Your files (${baseName(files.folder)})`}>
                  {files.files.map((item) => (
                    <option key={refParam(item.ref as OpenableRef)} value={refParam(item.ref as OpenableRef)}>
                      {item.ref.kind === 'file' ? baseName(item.ref.path) : item.name}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          </label>
          <TargetSelect targets={targets} value={target} onChange={(next) => setParams({ target: next })} />
          <button ref={startButton} type="button" className="button" onClick={() => void start()} disabled={starting} data-testid="demo-start">
            {starting ? 'Starting…' : 'Start the demo'}
          </button>
        </div>
        {chosen && (
          <p className="demo-setup-scenario">
            <span className="pill neutral">{profileLabel(chosen.profile ?? 'generic')}</span> {chosen.description}
          </p>
        )}
        {error && (
          <p className="error-banner" role="alert">
            {error}
          </p>
        )}
      </section>
      {show && <Stage bridge={bridge} show={show} onLeave={() => setShow(undefined)} returnFocusTo={startButton} />}
    </div>
  );
}

function Stage({ bridge, show, onLeave, returnFocusTo }: { bridge: ViewProps['bridge']; show: Show; onLeave: () => void; returnFocusTo: RefObject<HTMLElement | null> }) {
  const { progress, failure } = useRunProgress(bridge, show.runId);
  const [stepper, setStepper] = useState<Stepper>(START);
  const stage = useRef<HTMLDivElement>(null);
  const total = progress.totalSteps ?? show.script.steps.length;
  const finished = finishedSteps(progress, total);

  useEffect(() => setStepper((current) => settle(current, finished, total)), [finished, total]);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    stage.current?.focus();
    return () => (returnFocusTo.current ?? previous)?.focus();
  }, [returnFocusTo]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === ' ' || event.key === 'ArrowRight' || event.key === 'PageDown') {
        event.preventDefault();
        setStepper((current) => advance(current, finished, total));
      } else if (event.key === 'ArrowLeft' || event.key === 'PageUp') {
        event.preventDefault();
        setStepper(back);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        onLeave();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [finished, total, onLeave]);

  const current = stepper.revealed - 1;
  const step = current >= 0 ? show.script.steps[current] : undefined;
  const stepName = current >= 0 ? (progress.steps.get(current)?.name ?? progress.stepNames.get(current) ?? step?.name) : undefined;
  const outcome = current >= 0 ? progress.steps.get(current)?.outcome : undefined;
  const exchanges = current >= 0 ? exchangesOfStep(progress, current) : [];
  const shownExchanges = useMemo(
    () => [...progress.exchanges.values()].filter((exchange) => exchange.step < stepper.revealed).sort((a, b) => a.index - b.index),
    [progress.exchanges, stepper.revealed],
  );
  const targetView = useMemo(() => targetViewFrom(shownExchanges), [shownExchanges]);
  const idpStates = idpStateAt(show.script, stepper.revealed);
  const involved = new Set(step?.users ?? []);
  const stepView = targetViewFrom(exchanges);
  const touched = new Set([...exchanges.flatMap((exchange) => idsIn(exchange.request.url)), ...stepView.users.keys(), ...stepView.groups.keys()]);

  return (
    <div className="demo-stage" ref={stage} tabIndex={-1} role="dialog" aria-modal="true" aria-label={`Demo of ${show.scenario}`} data-testid="demo-stage">
      <header className="demo-head">
        <div className="demo-title">
          <span className="demo-scenario">{show.scenario}</span>
          <span className="demo-route">
            {profileLabel(progress.profile ?? '')} → {show.targetName}
          </span>
        </div>
        <div className="demo-step-title" aria-live="polite" data-testid="demo-step">
          {stepper.revealed === 0 ? (
            <span className="demo-muted">Press Space to begin</span>
          ) : (
            <>
              <span className="demo-step-count">
                Step {stepper.revealed} of {total}
              </span>
              <span className="demo-step-name">{stepName}</span>
              {outcome && <span className={`pill ${outcome === 'passed' ? 'success' : 'client-error'} demo-outcome`}>{outcome}</span>}
            </>
          )}
          {isWaiting(stepper) && <span className="demo-muted"> · waiting for the target…</span>}
        </div>
        <div className="demo-keys">
          <kbd>Space</kbd> next · <kbd>Esc</kbd> leave
        </div>
      </header>
      {failure && <p className="error-banner">{failure}</p>}

      <div className="demo-main">
        <section className="demo-side" aria-label="The IdP">
          <h2 className="demo-side-title">{profileLabel(progress.profile ?? '')}</h2>
          {/* Focusable: a long directory scrolls, and the keyboard must reach what is below the fold. */}
          <ul className="demo-cards" tabIndex={0} aria-label="The IdP's people and groups">
            {show.script.people.map((person) => {
              const state = idpStates.get(person.key) ?? 'not-assigned';
              return (
                <li key={person.key} className={`demo-card${involved.has(person.key) ? ' focus' : ''}`} data-state={state}>
                  <span className="demo-card-name">{person.name}</span>
                  <span className={`pill ${IDP_PILLS[state]}`}>{state.replace('-', ' ')}</span>
                </li>
              );
            })}
            {show.script.groups.map((group) => (
              <li key={group.key} className={`demo-card group${step?.group === group.key ? ' focus' : ''}`}>
                <span className="demo-card-name">{group.name}</span>
                <span className="pill neutral">group</span>
              </li>
            ))}
          </ul>
        </section>

        <section className="demo-wire" aria-label="Requests of this step" key={stepper.revealed} tabIndex={0}>
          {exchanges.length === 0 ? (
            <p className="demo-muted demo-wire-empty">{stepper.revealed === 0 ? 'Requests appear here, step by step.' : 'No request in this step.'}</p>
          ) : (
            <ol className="demo-exchanges">
              {exchanges.map((exchange, index) => (
                <li key={exchange.index} className="demo-exchange" style={{ animationDelay: `${index * 450}ms` }} data-testid="demo-exchange">
                  <span className="demo-packet request">
                    <span className="demo-direction" aria-hidden="true">
                      →
                    </span>
                    <span className="demo-method">{exchange.request.method}</span> {pathOf(exchange.request.url)}
                  </span>
                  <span className={`demo-packet response pill ${statusClass(exchange.response?.status)}`} style={{ animationDelay: `${index * 450 + 250}ms` }}>
                    <span aria-hidden="true">← </span>
                    {exchange.response ? exchange.response.status : 'no answer'}
                  </span>
                  <span className="demo-purpose">{exchange.purpose}</span>
                </li>
              ))}
            </ol>
          )}
        </section>

        <section className="demo-side" aria-label="The target">
          <h2 className="demo-side-title">{show.targetName}</h2>
          <ul className="demo-cards" data-testid="demo-target-users" tabIndex={0} aria-label="The target's users and groups">
            {[...targetView.users.values()].map((user) => (
              <li key={user.id} className={`demo-card${touched.has(user.id) ? ' focus' : ''}`}>
                <UserName userName={user.userName} />
                <span className={`pill ${user.active ? 'success' : 'redirect'}`}>{user.active ? 'active' : 'inactive'}</span>
              </li>
            ))}
            {[...targetView.groups.values()].map((group) => (
              <li key={group.id} className={`demo-card group${touched.has(group.id) ? ' focus' : ''}`}>
                <span className="demo-card-name">{group.displayName}</span>
                <span className="pill neutral">{group.members} {group.members === 1 ? 'member' : 'members'}</span>
              </li>
            ))}
            {targetView.users.size + targetView.groups.size === 0 && <li className="demo-muted">Nothing seen in the target yet.</li>}
          </ul>
          <p className="demo-footnote">As the target's responses showed it.</p>
        </section>
      </div>

      <ol className="demo-timeline" aria-label="Steps">
        {Array.from({ length: total }, (_, index) => (
          <li
            key={index}
            className={['demo-dot', index < stepper.revealed ? 'shown' : '', index === current ? 'current' : '', progress.steps.get(index)?.outcome === 'failed' && index < stepper.revealed ? 'failed' : ''].join(' ')}
            title={show.script.steps[index]?.name}
          />
        ))}
      </ol>
      {isOver(stepper, total) && (
        <p className="demo-end">
          {progress.summary?.outcome === 'passed' ? 'Every step passed.' : `The run ${progress.summary?.outcome ?? 'finished'}.`} Press <kbd>Esc</kbd> to leave.
        </p>
      )}
    </div>
  );
}

/** An email-like user name on two lines, breaking at its dots rather than anywhere. */
function UserName({ userName }: { userName: string }) {
  const at = userName.indexOf('@');
  const local = at > 0 ? userName.slice(0, at) : userName;
  const parts = local.split('.');
  return (
    <span className="demo-card-name demo-user-name">
      <span>
        {parts.map((part, index) => (
          <span key={index}>
            {index > 0 && '.'}
            {index > 0 && <wbr />}
            {part}
          </span>
        ))}
      </span>
      {at > 0 && <span className="demo-domain">{userName.slice(at)}</span>}
    </span>
  );
}

const IDP_PILLS: Record<IdpPersonState, string> = {
  'not-assigned': 'neutral',
  active: 'success',
  deactivated: 'redirect',
  unassigned: 'client-error',
  deleted: 'server-error',
};

/** Steps run in order: the finished ones are the first N, or all once the run is over. */
function finishedSteps(progress: RunProgress, total: number): number {
  if (progress.summary) return total;
  let count = 0;
  while (progress.steps.has(count)) count++;
  return count;
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    const path = decodeURIComponent(parsed.pathname + parsed.search);
    // The base path (/scim/v2…) is the same on every request: the room needs what follows it.
    return path.replace(/^.*?\/(Users|Groups|ServiceProviderConfig|Schemas|ResourceTypes|Bulk)\b/, '/$1');
  } catch {
    return url;
  }
}

function statusClass(status: number | undefined): string {
  if (status === undefined || status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  if (status >= 300) return 'redirect';
  return 'success';
}

function idsIn(url: string): string[] {
  const match = /\/(?:Users|Groups)\/([^/?]+)/.exec(url);
  return match ? [decodeURIComponent(match[1])] : [];
}
