import { autocompletion, closeBrackets, completionKeymap } from '@codemirror/autocomplete';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { useEffect, useRef } from 'react';

// The Prometheus UI's own editor (codemirror-promql): PromQL highlighting,
// linting and completion of functions, metric names, label names and values,
// which it asks of our Prometheus API (/api/v1/label/__name__/values,
// /api/v1/series, /api/v1/metadata) as it would of Prometheus. This module is
// imported by the metrics page only, so CodeMirror stays out of the first
// page's JavaScript (bench:ui).

export function PromqlEditor({ value, onChange, onSubmit }: { value: string; onChange: (query: string) => void; onSubmit: (query: string) => void }) {
  const parent = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ onChange, onSubmit });
  latest.current = { onChange, onSubmit };

  useEffect(() => {
    const element = parent.current;
    if (element === null) return;
    // The last 12 h, as the Prometheus UI asks: an open-ended range would search all of storage.
    const promql = new PromQLExtension().setComplete({ remote: { url: window.location.origin, lookbackInterval: 12 * 3_600_000 } });
    const editor = new EditorView({
      parent: element,
      state: EditorState.create({
        doc: value,
        extensions: [
          promql.asExtension(),
          autocompletion(),
          closeBrackets(),
          syntaxHighlighting(defaultHighlightStyle),
          placeholder('PromQL, e.g. rate(http_server_request_duration_seconds_count[5m]) (Enter runs, Shift+Enter adds a line)'),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': 'PromQL query' }),
          // Enter runs the query, as in the Prometheus UI; an open completion list takes it first.
          keymap.of([
            ...completionKeymap,
            { key: 'Enter', run: (v) => (latest.current.onSubmit(v.state.doc.toString()), true) },
            { key: 'Shift-Enter', run: (v) => (v.dispatch(v.state.replaceSelection('\n')), true) },
          ]),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor === null) return;
    const current = editor.state.doc.toString();
    if (current !== value) editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  return <div className="promql-editor" ref={parent} />;
}
