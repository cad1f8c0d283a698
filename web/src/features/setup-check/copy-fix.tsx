import { useRef, useState } from 'react';

/** The fix as a code block with a copy button; where the clipboard is refused, the text is selected to copy by hand. */
export function CopyFix({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'select'>('no');
  const pre = useRef<HTMLPreElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      if (pre.current !== null) window.getSelection()?.selectAllChildren(pre.current);
      setCopied('select');
    }
  };
  return (
    <div className="fix">
      <pre ref={pre} aria-label={label}>{text}</pre>
      <button type="button" onClick={() => void copy()}>
        {copied === 'yes' ? 'Copied' : copied === 'select' ? 'Selected: press Ctrl+C' : 'Copy fix'}
      </button>
    </div>
  );
}
