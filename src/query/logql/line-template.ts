import type { TemplateFunction, TemplatePart } from './ast.ts';
import { LogqlError, unsupported } from './logql-error.ts';
import { unquoteString } from './literals.ts';

// `| line_format` takes a Go text/template (Loki's docs, "Line format expression").
// The subset evaluated here, in SQL: literal text, `{{ .label }}`, `{{ __line__ }}`,
// and one-argument string functions applied as `{{ upper .x }}` or `{{ .x | upper }}`
// (Loki's ToUpper/upper, ToLower/lower, TrimSpace/trim). A missing label renders
// as "" (Loki renders its label map with missing keys as empty). Every other action
// (if, range, printf, variables, __timestamp__ ...) is refused by name.

const FUNCTIONS: Record<string, TemplateFunction> = {
  upper: 'upper',
  ToUpper: 'upper',
  lower: 'lower',
  ToLower: 'lower',
  trim: 'trimSpace',
  TrimSpace: 'trimSpace',
};

export function parseLineTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      parts.push({ kind: 'text', text: rest });
      break;
    }
    if (open > 0) parts.push({ kind: 'text', text: rest.slice(0, open) });
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) throw new LogqlError(`line_format: template ${JSON.stringify(template)} has an unclosed action`);
    parts.push(action(rest.slice(open + 2, close)));
    rest = rest.slice(close + 2);
  }
  return parts;
}

function action(source: string): TemplatePart {
  // Go's {{- and -}} trim markers.
  const inner = source.replace(/^-\s/, '').replace(/\s-$/, '').trim();
  const pipeline = inner.split('|').map((s) => s.trim());
  const functions: TemplateFunction[] = [];
  let operand: string | undefined;
  for (const [i, command] of pipeline.entries()) {
    const words = command.split(/\s+/).filter((w) => w !== '');
    if (i === 0) {
      if (words.length === 1) {
        operand = words[0];
      } else if (words.length === 2 && FUNCTIONS[words[0]!] !== undefined) {
        functions.push(templateFunction(words[0]!));
        operand = words[1];
      } else {
        throw unsupported(`line_format action {{${source}}}`);
      }
    } else {
      if (words.length !== 1) throw unsupported(`line_format action {{${source}}}`);
      functions.push(templateFunction(words[0]!));
    }
  }
  if (operand === undefined) throw new LogqlError(`line_format: empty action {{${source}}}`);
  if (operand === '__line__') return { kind: 'line', functions };
  if (/^\.[A-Za-z_][A-Za-z0-9_]*$/.test(operand)) return { kind: 'label', name: operand.slice(1), functions };
  if (operand.startsWith('"') || operand.startsWith('`')) {
    // A literal: fold it in now.
    let text = unquoteString(operand);
    for (const f of functions) text = f === 'upper' ? text.toUpperCase() : f === 'lower' ? text.toLowerCase() : text.trim();
    return { kind: 'text', text };
  }
  throw unsupported(`line_format action {{${source}}}`);
}

function templateFunction(name: string): TemplateFunction {
  const f = FUNCTIONS[name];
  if (f === undefined) throw unsupported(`line_format function ${name}`);
  return f;
}
