/**
 * The scenario editor: CodeMirror 6 with YAML highlighting, the loader's problems inline at their
 * line (debounced, asked of the Node side, which owns the schema and the loader), and Ctrl/Cmd+S.
 * It lives in a shadow root so that its styles load under the console's CSP (see below).
 */
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { basicSetup } from 'codemirror';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import type { ScenarioProblem } from '../../../../src-main/api/contract';
import { problemRange, problemsToDiagnostics } from './diagnostics';
import { editorTheme } from './theme';
import './editor.css';

export interface ScenarioEditorHandle {
  /** Puts the cursor on a problem's place and focuses the editor. */
  reveal(problem: ScenarioProblem): void;
  focus(): void;
}

export interface ScenarioEditorProps {
  /** The text to load; loaded again whenever `docKey` changes (another file opened). */
  readonly text: string;
  readonly docKey: string;
  readonly readOnly: boolean;
  readonly fileName?: string;
  readonly label: string;
  readonly validate: (text: string, fileName?: string) => Promise<ScenarioProblem[]>;
  readonly onChange?: (text: string) => void;
  /** The latest problems (or a message when validation itself failed). */
  readonly onProblems?: (problems: readonly ScenarioProblem[], failure?: string) => void;
  readonly onSave?: () => void;
  readonly ref?: Ref<ScenarioEditorHandle>;
}

const LINT_DELAY_MS = 350;

export function ScenarioEditor(props: ScenarioEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // Callbacks change on every render; the editor is built once and reads the latest through this.
  const latest = useRef(props);
  latest.current = props;
  const readOnly = useRef(new Compartment());

  useEffect(() => {
    if (!host.current) return;
    const lint = linter(
      async (editor): Promise<Diagnostic[]> => {
        const doc = editor.state.doc;
        const { validate, fileName, onProblems } = latest.current;
        try {
          const problems = await validate(doc.toString(), fileName);
          onProblems?.(problems);
          return problemsToDiagnostics(doc, problems);
        } catch (error) {
          onProblems?.([], `The scenario could not be checked: ${error instanceof Error ? error.message : String(error)}`);
          return [];
        }
      },
      { delay: LINT_DELAY_MS },
    );
    const save = Prec.highest(
      keymap.of([
        {
          key: 'Mod-s',
          preventDefault: true,
          run: () => {
            latest.current.onSave?.();
            return true;
          },
        },
      ]),
    );
    // In a shadow root, CodeMirror's style-mod adopts its styles as constructable stylesheets; in
    // the document it would insert a <style> element, which the console's CSP (style-src 'self')
    // blocks. CSS custom properties inherit into the shadow tree, so the theme still follows ours.
    const root = host.current.shadowRoot ?? host.current.attachShadow({ mode: 'open' });
    const editor = new EditorView({
      parent: root,
      root,
      state: EditorState.create({
        doc: latest.current.text,
        extensions: [
          basicSetup,
          yaml(),
          lint,
          lintGutter(),
          save,
          editorTheme,
          readOnly.current.of(readOnlyExtensions(latest.current.readOnly)),
          EditorView.contentAttributes.of({ 'aria-label': latest.current.label }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange?.(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  // Another file: replace the whole document (and its undo history).
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    if (editor.state.doc.toString() !== props.text) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: props.text }, selection: { anchor: 0 } });
    }
    // docKey is the trigger: the same text in a different file still resets the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.docKey]);

  useEffect(() => {
    view.current?.dispatch({ effects: readOnly.current.reconfigure(readOnlyExtensions(props.readOnly)) });
  }, [props.readOnly]);

  useImperativeHandle(
    props.ref,
    () => ({
      reveal(problem) {
        const editor = view.current;
        if (!editor) return;
        const range = problemRange(editor.state.doc, problem);
        editor.dispatch({ selection: { anchor: range.from, head: range.to }, scrollIntoView: true });
        editor.focus();
      },
      focus() {
        view.current?.focus();
      },
    }),
    [],
  );

  return <div className="scenario-editor" ref={host} data-testid="scenario-editor" />;
}

function readOnlyExtensions(readOnly: boolean) {
  // Still focusable and selectable when read-only: a built-in is read, scrolled and copied from.
  return EditorState.readOnly.of(readOnly);
}
