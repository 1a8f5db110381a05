/**
 * Scenarios: the built-ins and the user's own scenario files (a folder, kept in git), opened in
 * the editor, run against a target or two side by side. Running lands on the Run view.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { counted } from '../../model/counted';
import type { ProfileName, ScenarioFolder, ScenarioInfo, ScenarioProblem, ScenarioRef } from '../../../../src-main/api/contract';
import { PROFILE_NAMES } from '../../../../src-main/idp/profile';
import type { ViewProps } from '../../shell/view-props';
import { ScenarioEditor, type ScenarioEditorHandle } from '../../components/editor/ScenarioEditor';
import { describeError } from './describe-error';
import { baseName, copyPath, parseRefParam, refParam, sameRef, type OpenableRef } from './scenario-refs';
import { pageStorage, rememberScenarioFolder } from './last-folder';
import { LOCAL_TARGET, TargetSelect, targetLabel, useTargets } from './targets';
import { moveFocusInList } from './roving';
import './scenarios.css';

interface OpenDocument {
  readonly ref: OpenableRef;
  readonly name: string;
  /** What is on disk (or built in): the editor's text differs from it when modified. */
  readonly saved: string;
  readonly text: string;
  readonly readOnly: boolean;
  readonly path?: string;
}

export function ScenariosView({ bridge, server, route, navigate, setParams }: ViewProps) {
  const { targets, failure: targetsFailure } = useTargets(bridge);
  const target = route.params.target ?? LOCAL_TARGET;
  const compare = route.params.compare ?? '';
  const profile = route.params.profile ?? '';
  const folderPath = route.params.folder;
  const openRef = parseRefParam(route.params.open);

  const [builtins, setBuiltins] = useState<readonly ScenarioInfo[]>();
  const [folder, setFolder] = useState<ScenarioFolder>();
  const [askingPath, setAskingPath] = useState(false);
  const [doc, setDoc] = useState<OpenDocument>();
  const [problems, setProblems] = useState<{ list: readonly ScenarioProblem[]; failure?: string }>({ list: [] });
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');
  const [running, setRunning] = useState(false);
  const editor = useRef<ScenarioEditorHandle>(null);

  useEffect(() => {
    bridge.listBuiltinScenarios().then(setBuiltins, (failure: unknown) => {
      setBuiltins([]);
      setError(describeError(failure, 'The built-in scenarios could not be listed'));
    });
  }, [bridge]);

  const loadFolder = useCallback(
    async (path: string) => {
      try {
        const opened = await bridge.openScenarioFolder(path);
        setFolder(opened);
        rememberScenarioFolder(pageStorage(), opened.folder);
        setError(undefined);
        return opened;
      } catch (failure) {
        setError(describeError(failure, `The folder ${path} could not be opened`));
        return undefined;
      }
    },
    [bridge],
  );

  // The folder in the URL is opened again after a reload.
  useEffect(() => {
    if (folderPath && folder?.folder !== folderPath) void loadFolder(folderPath);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [folderPath]);

  const openKey = openRef ? refParam(openRef) : '';
  useEffect(() => {
    if (!openRef) {
      setDoc(undefined);
      return;
    }
    let live = true;
    bridge.readScenario(openRef).then(
      (read) => {
        if (!live) return;
        const name = openRef.kind === 'builtin' ? openRef.name : baseName(openRef.path);
        setDoc({ ref: openRef, name, saved: read.text, text: read.text, readOnly: read.readOnly, path: read.path });
        setProblems({ list: [] });
      },
      (failure: unknown) => live && setError(describeError(failure, 'The scenario could not be read')),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bridge, openKey]);

  const modified = doc !== undefined && doc.text !== doc.saved;

  const open = (ref: OpenableRef) => {
    if (doc && sameRef(ref, doc.ref)) return;
    if (modified && !window.confirm(`Discard your changes to ${doc.name}?`)) return;
    setParams({ open: refParam(ref) });
  };

  const chooseFolder = async () => {
    const picked = server?.host === 'electron' ? await bridge.pickScenarioFolder().catch(() => null) : null;
    if (picked) {
      if (await loadFolder(picked)) setParams({ folder: picked });
    } else if (server?.host !== 'electron') {
      setAskingPath(true);
    }
  };

  const submitFolderPath = async (path: string) => {
    const trimmed = path.trim();
    if (!trimmed) return;
    if (await loadFolder(trimmed)) {
      setAskingPath(false);
      setParams({ folder: trimmed });
    }
  };

  const run = async (scenario: ScenarioRef) => {
    setRunning(true);
    setError(undefined);
    try {
      const started = await bridge.startRun({
        scenario,
        target,
        ...(profile ? { profile: profile as ProfileName } : {}),
        ...(compare ? { compareTarget: compare } : {}),
      });
      navigate('run', { run: started.runId, ...(started.compareRunId ? { compare: started.compareRunId } : {}) });
    } catch (failure) {
      setError(describeError(failure, 'The run could not start'));
    } finally {
      setRunning(false);
    }
  };

  const runEditor = () => {
    if (!doc) return;
    void run({ kind: 'text', text: doc.text, fileName: doc.path ? baseName(doc.path) : `${doc.name}.yaml` });
  };

  const save = async () => {
    if (!doc || doc.readOnly || !doc.path) return;
    const text = doc.text;
    try {
      await bridge.saveScenarioFile(doc.path, text);
      setDoc((current) => (current ? { ...current, saved: text } : current));
      setStatus(`Saved ${doc.name}`);
      if (folder) await loadFolder(folder.folder);
    } catch (failure) {
      setError(describeError(failure, `${doc.name} could not be saved`));
    }
  };

  const saveCopy = async () => {
    if (!doc) return;
    if (!folder) {
      setStatus('');
      setError('Open a folder first: the copy is saved as a file in it.');
      return;
    }
    const path = copyPath(folder.folder, doc.name, folder.files.map((file) => (file.ref.kind === 'file' ? file.ref.path : '')));
    try {
      await bridge.saveScenarioFile(path, doc.text);
      await loadFolder(folder.folder);
      setStatus(`Saved a copy as ${baseName(path)}`);
      setParams({ open: refParam({ kind: 'file', path }) });
    } catch (failure) {
      setError(describeError(failure, 'The copy could not be saved'));
    }
  };

  const onViewKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter' && doc) {
      event.preventDefault();
      runEditor();
    }
  };

  const remoteTargets = targets.filter((candidate) => candidate.id !== target);
  const validate = useCallback((text: string, fileName?: string) => bridge.validateScenario(text, fileName), [bridge]);

  return (
    <div className="sc-view" onKeyDown={onViewKeyDown}>
      <h1 className="offscreen">Scenarios</h1>
      <div className="sc-runbar" role="group" aria-label="Run settings">
        <TargetSelect targets={targets} value={target} onChange={(next) => setParams({ target: next })} />
        <label className="sc-field">
          <span>Side by side with</span>
          <select value={compare} onChange={(event) => setParams({ compare: event.target.value })}>
            <option value="">No second target</option>
            {remoteTargets.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {targetLabel(candidate)}
              </option>
            ))}
          </select>
        </label>
        <label className="sc-field">
          <span>Profile</span>
          <select value={profile} onChange={(event) => setParams({ profile: event.target.value })}>
            <option value="">The scenario's own</option>
            {PROFILE_NAMES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {targetsFailure && <span className="sc-warning">{targetsFailure}</span>}
        <span className="sc-hint">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs the editor · <kbd>Ctrl</kbd>+<kbd>S</kbd> saves
        </span>
      </div>

      {error && (
        <div className="error-banner sc-error" role="alert">
          <span>{error}</span>
          <button type="button" className="button subtle" onClick={() => setError(undefined)}>
            Dismiss
          </button>
        </div>
      )}
      <p className="offscreen" role="status" aria-live="polite">
        {status}
      </p>

      <div className="sc-body">
        <aside className="panel sc-sidebar" aria-label="Scenarios">
          <section className="sc-section" aria-labelledby="sc-builtins">
            <header className="sc-section-head">
              <h2 id="sc-builtins">Built-in</h2>
              <span className="pill neutral">{builtins?.length ?? '…'}</span>
            </header>
            {builtins === undefined ? (
              <p className="empty small">Loading…</p>
            ) : (
              <ScenarioList
                label="Built-in scenarios"
                items={builtins}
                selected={openRef}
                running={running}
                onOpen={open}
                onRun={(ref) => void run(ref)}
                testId="builtin-scenarios"
              />
            )}
          </section>

          <section className="sc-section" aria-labelledby="sc-folder">
            <header className="sc-section-head">
              <h2 id="sc-folder">Folder</h2>
              <button type="button" className="button subtle sc-small" onClick={() => void chooseFolder()}>
                {folder ? 'Change…' : 'Open folder…'}
              </button>
            </header>
            {askingPath && <FolderPathForm initial={folder?.folder ?? ''} onSubmit={submitFolderPath} onCancel={() => setAskingPath(false)} />}
            {folder ? (
              <>
                <p className="sc-folder-path mono" title={folder.folder} data-testid="folder-path">
                  {shortenPath(folder.folder)}
                </p>
                {folder.files.length === 0 ? (
                  <p className="empty small">
                    No <code>.yaml</code>, <code>.yml</code> or <code>.json</code> files here yet. Open a built-in and choose “Save a copy”.
                  </p>
                ) : (
                  <ScenarioList
                    label="Scenario files"
                    items={folder.files}
                    selected={openRef}
                    running={running}
                    onOpen={open}
                    onRun={(ref) => void run(ref)}
                    testId="folder-scenarios"
                  />
                )}
              </>
            ) : (
              !askingPath && <p className="empty small">Open a folder of scenario files to edit and run them; they stay plain files you can keep in git.</p>
            )}
          </section>
        </aside>

        <section className="panel sc-editor-pane" aria-label="Editor">
          {doc ? (
            <>
              <header className="panel-header sc-editor-head">
                <h2 className="panel-title sc-doc-title">
                  <span className="mono" data-testid="editor-title">
                    {doc.path ? baseName(doc.path) : doc.name}
                  </span>
                  {doc.readOnly && <span className="pill neutral">read-only</span>}
                  {modified && (
                    <span className="pill redirect" data-testid="modified">
                      modified
                    </span>
                  )}
                  <ProblemCount problems={problems.list} />
                </h2>
                <div className="panel-tools">
                  {doc.readOnly ? (
                    <button type="button" className="button subtle" onClick={() => void saveCopy()}>
                      Save a copy to the folder
                    </button>
                  ) : (
                    <button type="button" className="button subtle" onClick={() => void save()} disabled={!modified}>
                      Save
                    </button>
                  )}
                  <button type="button" className="button" onClick={runEditor} disabled={running} data-testid="run-editor">
                    {running ? 'Starting…' : 'Run'}
                  </button>
                </div>
              </header>
              <ScenarioEditor
                ref={editor}
                text={doc.saved}
                docKey={refParam(doc.ref)}
                readOnly={doc.readOnly}
                fileName={doc.path ? baseName(doc.path) : `${doc.name}.yaml`}
                label={`Scenario ${doc.name}`}
                validate={validate}
                onChange={(text) => setDoc((current) => (current ? { ...current, text } : current))}
                onProblems={(list, failure) => setProblems({ list, failure })}
                onSave={() => void save()}
              />
              <ProblemsPanel problems={problems.list} failure={problems.failure} onReveal={(problem) => editor.current?.reveal(problem)} />
            </>
          ) : (
            <div className="empty sc-empty">
              <p className="sc-empty-title">Pick a scenario to read, edit or run it.</p>
              <p>
                Built-ins are read-only; “Save a copy to the folder” makes one yours. Run settings above choose the target (add more in{' '}
                <a href="#/targets">Targets</a>) and an optional second target to compare side by side.
              </p>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

/** The end of a long path, which says more than its start ("…/my-app/scim-scenarios"). */
function shortenPath(path: string, max = 44): string {
  return path.length <= max ? path : `…${path.slice(path.length - max + 1)}`;
}

function ScenarioList(props: {
  label: string;
  items: readonly ScenarioInfo[];
  selected: OpenableRef | undefined;
  running: boolean;
  onOpen: (ref: OpenableRef) => void;
  onRun: (ref: OpenableRef) => void;
  testId: string;
}) {
  const openable = props.items.filter((item): item is ScenarioInfo & { ref: OpenableRef } => item.ref.kind !== 'text');
  const selectedIndex = Math.max(
    0,
    openable.findIndex((item) => sameRef(props.selected, item.ref)),
  );
  return (
    <ul className="sc-list" aria-label={props.label} data-testid={props.testId} onKeyDown={(event) => moveFocusInList(event, '[data-row-open]')}>
      {openable.map((item, index) => {
        const selected = sameRef(props.selected, item.ref);
        const issues = item.issues?.length ?? 0;
        return (
          <li key={refParam(item.ref)} className={selected ? 'sc-row selected' : 'sc-row'} data-scenario={item.name}>
            <button
              type="button"
              className="sc-row-open"
              data-row-open
              tabIndex={index === selectedIndex ? 0 : -1}
              aria-current={selected ? 'true' : undefined}
              onClick={() => props.onOpen(item.ref)}
            >
              <span className="sc-row-line">
                <span className="sc-row-name mono">{item.ref.kind === 'file' ? baseName(item.ref.path) : item.name}</span>
                {item.profile && <span className="pill neutral">{item.profile}</span>}
                {issues > 0 ? (
                  <span className="pill client-error" data-testid="file-issues">
                    {issues} {issues === 1 ? 'problem' : 'problems'}
                  </span>
                ) : (
                  <span className="sc-row-steps muted">{counted(item.steps, 'step')}</span>
                )}
              </span>
              <span className="sc-row-description">{issues > 0 ? item.issues![0].message : item.description}</span>
            </button>
            <button
              type="button"
              className="button subtle sc-small sc-row-run"
              tabIndex={selected ? 0 : -1}
              disabled={props.running || issues > 0}
              aria-label={`Run ${item.name}`}
              onClick={() => props.onRun(item.ref)}
            >
              Run
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function FolderPathForm(props: { initial: string; onSubmit: (path: string) => Promise<void>; onCancel: () => void }) {
  const [path, setPath] = useState(props.initial);
  return (
    <form
      className="sc-folder-form"
      onSubmit={(event) => {
        event.preventDefault();
        void props.onSubmit(path);
      }}
    >
      <label className="sc-field sc-field-wide">
        <span>Folder path on the machine running Scimulator</span>
        <input
          autoFocus
          className="mono"
          value={path}
          placeholder="e.g. my-app/scim-scenarios"
          onChange={(event) => setPath(event.target.value)}
          onKeyDown={(event) => event.key === 'Escape' && props.onCancel()}
        />
      </label>
      <div className="sc-folder-buttons">
        <button type="submit" className="button sc-small">
          Open
        </button>
        <button type="button" className="button subtle sc-small" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ProblemCount({ problems }: { problems: readonly ScenarioProblem[] }) {
  if (problems.length === 0) return <span className="pill success">valid</span>;
  return (
    <span className="pill client-error" data-testid="problem-count">
      {problems.length} {problems.length === 1 ? 'problem' : 'problems'}
    </span>
  );
}

function ProblemsPanel(props: { problems: readonly ScenarioProblem[]; failure?: string; onReveal: (problem: ScenarioProblem) => void }) {
  if (props.failure) return <p className="sc-problems sc-warning">{props.failure}</p>;
  if (props.problems.length === 0) return null;
  return (
    <ul className="sc-problems" aria-label="Problems" data-testid="problems">
      {props.problems.map((problem, index) => (
        <li key={index}>
          <button type="button" className="sc-problem" onClick={() => props.onReveal(problem)}>
            <span className="sc-problem-place mono">{problem.line ? `${problem.line}:${problem.column ?? 1}` : '—'}</span>
            <span>{problem.message}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
