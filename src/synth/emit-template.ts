import { CRD_KIND, STANDARD_LABELS } from '../chart/kinds';
import { goString, unwrapParentheses } from '../tokens/go-template';
import { ResolveContext, scalarTemplate, TextPart, textPipeline } from '../tokens/token';
import { ChartObject } from './collect';
import { escapeTemplateComment, escapeTemplateText, joinTemplateText } from './escape';
import { keyCheckLines, keysVariable } from './list-keys';
import { Condition } from '../values/condition';
import {
  ChoiceNode,
  FieldEntry,
  flatChoice,
  ListNode,
  MapEntry,
  MapNode,
  presenceConditions,
  SpreadEntry,
  TemplateNode,
} from './template-tree';
import { literalBlock, quoteString, yamlNumber } from './yaml-text';

/** How text is written: a template (literal text escaped for Helm) or plain YAML (crds/, values.yaml). */
export interface EmitOptions extends ResolveContext {
  /** Literal text is escaped so the template engine prints it unchanged. @default true */
  readonly template?: boolean;
  /** The text written for a scalar's action (`named-helpers.ts` puts an `include` there). @default the action itself */
  readonly scalarAction?: (action: string) => string;
}

/**
 * Writes a tree as YAML block text, every template construct expanded in place: the one place where
 * template text is made. Map entries are written fields first (in order), then included helpers,
 * spread values and conditional fields.
 */
export function emitTree(root: MapNode, options: EmitOptions): string {
  const out: string[] = [];
  new Emitter(options).mapBody(root, 0, out);
  return out.length ? `${out.join('\n')}\n` : '{}\n';
}

/**
 * The file of one object: its header comment, then its tree as template text under its render
 * condition; a CustomResourceDefinition (crds/, which Helm does not render) as plain YAML.
 */
export function emitObjectFile(entry: ChartObject, tree: MapNode, context: EmitOptions): string {
  if (entry.kind === CRD_KIND) return `${entry.header}\n${emitTree(tree, { chartName: '', template: false })}`;
  const text = `${escapeTemplateComment(entry.header)}\n${withDocumentEnd(emitTree(tree, context))}`;
  const condition = entry.settings.renderCondition;
  return condition ? `{{- if ${unwrapParentheses(condition.expression)} }}\n${text}{{- end }}\n` : text;
}

/**
 * Literal text and tokens as plain template text (NOTES.txt): literals escaped by the one rule of
 * `escape.ts`, each token printed as in any template text (`textPipeline`).
 */
export function emitText(parts: readonly TextPart[], context: ResolveContext): string {
  return joinTemplateText(
    parts.map((part) => (typeof part === 'string' ? { literal: part } : { action: `{{ ${textPipeline(part, context)} }}` })),
  );
}

/** The line that ends a template whose last rendered text may be a value's `toYaml` block. */
export const DOCUMENT_END = '# end';

/**
 * A template body with `DOCUMENT_END` appended when the text after its last `toYaml` block may
 * render as whitespace only: Helm trims the end of every document, which would cut the trailing
 * line breaks of the block's last string (`{ "app.conf": "a\n\n" }` merged into data rendering
 * `a\n`, `"\n"` rendering empty). A literal line or an included helper outside every condition
 * opened after the block keeps them.
 */
export function withDocumentEnd(body: string): string {
  const lines = body.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && !lines[last].includes('toYaml')) last--;
  if (last < 0) return body;
  /** Blocks opened after the `toYaml` and still open: lines inside them may not render. */
  let opened = 0;
  for (const line of lines.slice(last + 1)) {
    const text = line.trim();
    if (text === '') continue;
    if (/^\{\{-? ?end\b/.test(text)) opened = Math.max(0, opened - 1);
    else if (/^\{\{-? ?(if|with|range)\b/.test(text)) opened++;
    else if (/^\{\{-? ?else\b/.test(text)) {
      if (opened === 0) break;
    } else if (opened === 0 && (!text.startsWith('{{') || /^\{\{-? ?include\b/.test(text))) return body;
  }
  return `${body}${DOCUMENT_END}\n`;
}

class Emitter {
  private readonly escape: (text: string) => string;
  private spreads = 0;
  private keyLists = 0;
  /** Expressions of the branches being written: they hold there. */
  private readonly holding: string[] = [];

  constructor(private readonly options: EmitOptions) {
    this.escape = options.template === false ? (text) => text : escapeTemplateText;
  }

  public mapBody(map: MapNode, indent: number, out: string[]): void {
    const pad = ' '.repeat(indent);
    const spreadNames: string[] = [];
    const spreads = map.entries.filter((e) => e.kind === 'spread').length;
    for (const entry of ordered(map.entries)) {
      if (entry.kind === 'include') {
        out.push(`${pad}{{- include ${goString(entry.template)} . | nindent ${indent} }}`);
      } else if (entry.kind === 'spread') {
        this.spread(map, entry, spreads > 1 ? spreadNames : undefined, indent, out);
      } else if (entry.value.kind === 'choice') {
        this.choice(entry.value, indent, out, (value) => this.field(entry.key, value, indent, out));
      } else {
        this.field(entry.key, entry.value, indent, out);
      }
    }
  }

  /**
   * The entries of a map value the map does not write: keys of fields written in every case, of
   * included helpers and removed keys are omitted by name, keys of `setIf` fields when one of their
   * conditions holds, and keys of earlier spreads of the map (`earlier`, their variables) at render time.
   */
  private spread(map: MapNode, entry: SpreadEntry, earlier: string[] | undefined, indent: number, out: string[]): void {
    const pad = ' '.repeat(indent);
    const fields = map.entries.filter((e): e is FieldEntry => e.kind === 'field');
    const included = map.entries.some((e) => e.kind === 'include') ? STANDARD_LABELS : [];
    const written = (f: FieldEntry): boolean => presenceConditions(f.value)?.some((c) => this.holding.includes(c.expression)) ?? true;
    const always = fields.filter(written).map((f) => f.key);
    const keys = [...new Set([...always, ...included, ...(entry.removed ?? [])])].map(goString);
    const operand = unwrapParentheses(entry.token.operand(this.options));
    const omitted = keys.length ? `omit (${operand}) ${keys.join(' ')}` : operand;
    const sometimes = fields.filter((f) => !written(f) && !keys.includes(goString(f.key)));
    if (!sometimes.length && !earlier) {
      out.push(`${pad}{{- with ${omitted} }}`, `${pad}{{- toYaml . | nindent ${indent} }}`, `${pad}{{- end }}`);
      return;
    }
    const name = `$spread${++this.spreads}`;
    out.push(`${pad}{{- ${name} := ${keys.length ? omitted : `omit (${operand})`} }}`);
    for (const field of sometimes) {
      const written = Condition.or(...presenceConditions(field.value)!).expression;
      out.push(`${pad}{{- if ${unwrapParentheses(written)} }}{{- ${name} = omit ${name} ${goString(field.key)} }}{{- end }}`);
    }
    for (const other of earlier ?? []) out.push(`${pad}{{- range $key, $_ := ${other} }}{{- ${name} = omit ${name} $key }}{{- end }}`);
    earlier?.push(name);
    out.push(`${pad}{{- with ${name} }}`, `${pad}{{- toYaml . | nindent ${indent} }}`, `${pad}{{- end }}`);
  }

  /**
   * A `setIf` chain: `{{- if A }}`, `{{- else if B }}`, `{{- else }}` with the value before,
   * `{{- end }}`; just the first branch inside a branch of the same condition.
   */
  private choice(node: ChoiceNode, indent: number, out: string[], write: (value: TemplateNode) => void): void {
    const pad = ' '.repeat(indent);
    const { branches, otherwise } = flatChoice(node);
    if (!branches.length) {
      if (otherwise) write(otherwise);
      return;
    }
    const known = branches.findIndex((branch) => this.holding.includes(branch.condition.expression));
    if (known === 0) {
      write(branches[0].value);
      return;
    }
    branches.forEach((branch, i) => {
      out.push(`${pad}{{- ${i ? 'else if' : 'if'} ${unwrapParentheses(branch.condition.expression)} }}`);
      this.holding.push(branch.condition.expression);
      write(branch.value);
      this.holding.pop();
    });
    if (otherwise) {
      out.push(`${pad}{{- else }}`);
      write(otherwise);
    }
    out.push(`${pad}{{- end }}`);
  }

  /** ` {}` or ` []` after `key:` or `-` when none of the entries is written, so the field is empty rather than null. */
  private emptyUnless(conditions: Condition[] | undefined, empty: string): string {
    if (!conditions || conditions.some((c) => this.holding.includes(c.expression))) return '';
    return `{{- if ${unwrapParentheses(Condition.or(...conditions).not().expression)} }} ${empty}{{- end }}`;
  }

  private field(key: string, node: TemplateNode, indent: number, out: string[]): void {
    const pad = ' '.repeat(indent);
    const head = `${pad}${this.escape(quoteString(key))}:`;
    switch (node.kind) {
      case 'literal':
      case 'scalar':
        this.scalar(head, node, indent, out);
        return;
      case 'block':
        out.push(
          `${pad}{{- with ${unwrapParentheses(node.token.operand(this.options))} }}`,
          head,
          `${pad}  {{- toYaml . | nindent ${indent + 2} }}`,
          `${pad}{{- end }}`,
        );
        return;
      case 'choice':
        this.choice(node, indent, out, (value) => this.field(key, value, indent, out));
        return;
      case 'map': {
        const only = node.entries.length === 1 ? node.entries[0] : undefined;
        if (node.entries.length === 0) out.push(`${head} {}`);
        else if (only?.kind === 'spread' && !only.removed?.length) this.field(key, { kind: 'block', token: only.token }, indent, out);
        else {
          out.push(`${head}${this.emptyUnless(onlyConditional(node), '{}')}`);
          this.mapBody(node, indent + 2, out);
        }
        return;
      }
      case 'list': {
        const only = node.items.length === 1 ? node.items[0] : undefined;
        if (node.items.length === 0) out.push(`${head} []`);
        else if (only?.kind === 'splice') {
          this.keyChecks(node, pad, out);
          this.field(key, { kind: 'block', token: only.token }, indent, out);
        } else {
          out.push(`${head}${this.emptyUnless(onlyConditional(node), '[]')}`);
          this.listBody(node, indent + 2, out);
        }
      }
    }
  }

  private listBody(list: ListNode, indent: number, out: string[]): void {
    const pad = ' '.repeat(indent);
    this.keyChecks(list, pad, out);
    for (const item of list.items) {
      if (item.kind === 'splice') {
        out.push(
          `${pad}{{- with ${unwrapParentheses(item.token.operand(this.options))} }}`,
          `${pad}{{- toYaml . | nindent ${indent} }}`,
          `${pad}{{- end }}`,
        );
        continue;
      }
      if (item.value.kind === 'choice') this.choice(item.value, indent, out, (value) => this.listItem(value, indent, out));
      else this.listItem(item.value, indent, out);
    }
  }

  /** For a list-map list whose keys are known only at render: the render-time refusal of a key two entries share. */
  private keyChecks(list: ListNode, pad: string, out: string[]): void {
    if (list.keyedBy) out.push(...keyCheckLines(list, list.keyedBy, this.options, pad, keysVariable(++this.keyLists)));
  }

  private listItem(node: TemplateNode, indent: number, out: string[]): void {
    const pad = ' '.repeat(indent);
    switch (node.kind) {
      case 'literal':
      case 'scalar':
        this.scalar(`${pad}-`, node, indent, out);
        break;
      case 'block':
        out.push(`${pad}-`, `${pad}  {{- toYaml ${unwrapParentheses(node.token.operand(this.options))} | nindent ${indent + 2} }}`);
        break;
      case 'map': {
        if (node.entries.length === 0) {
          out.push(`${pad}- {}`);
          break;
        }
        const body: string[] = [];
        this.mapBody(node, indent + 2, body);
        const first = body[0];
        if (first.startsWith(`${pad}  `) && !first.startsWith(`${pad}  {{`)) body[0] = `${pad}- ${first.slice(indent + 2)}`;
        else body.unshift(`${pad}-${this.emptyUnless(onlyConditional(node), '{}')}`);
        out.push(...body);
        break;
      }
      case 'choice':
        this.choice(node, indent, out, (value) => this.listItem(value, indent, out));
        break;
      case 'list':
        if (node.items.length === 0) out.push(`${pad}- []`);
        else {
          out.push(`${pad}-${this.emptyUnless(onlyConditional(node), '[]')}`);
          this.listBody(node, indent + 2, out);
        }
    }
  }

  /** A scalar after `head` (`key:` or `-`): a literal (a block for multi-line text) or a template expression. */
  private scalar(head: string, node: Extract<TemplateNode, { kind: 'literal' | 'scalar' }>, indent: number, out: string[]): void {
    if (node.kind === 'scalar') {
      const action = scalarTemplate(node.parts, this.options, node.stringField);
      out.push(`${head} ${this.options.scalarAction ? this.options.scalarAction(action) : action}`);
      return;
    }
    const value = node.value;
    if (typeof value === 'string') {
      const block = literalBlock(value);
      if (block && !(head.endsWith('-') && block.header.includes('2'))) {
        const inner = ' '.repeat(indent + 2);
        out.push(`${head} ${block.header}`, ...block.lines.map((line) => (line === '' ? '' : `${inner}${this.escape(line)}`)));
        return;
      }
      out.push(`${head} ${this.escape(quoteString(value))}`);
      return;
    }
    out.push(`${head} ${typeof value === 'number' ? yamlNumber(value) : String(value)}`);
  }
}

/** Fields written in every case in order, then included helpers, spread values and `setIf` fields. */
function ordered(entries: readonly MapEntry[]): readonly MapEntry[] {
  const rank = (e: MapEntry): number => (e.kind === 'field' ? (presenceConditions(e.value) ? 3 : 0) : e.kind === 'include' ? 1 : 2);
  const ranks = entries.map(rank);
  if (ranks.every((r, i) => i === 0 || ranks[i - 1] <= r)) return entries;
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => rank(a.entry) - rank(b.entry) || a.index - b.index)
    .map((x) => x.entry);
}

/** The conditions under which a map or list has any entry, when each of its entries is a `setIf` one (no spread, no helper). */
function onlyConditional(node: MapNode | ListNode): Condition[] | undefined {
  const conditions: Condition[] = [];
  for (const entry of node.kind === 'map' ? node.entries : node.items) {
    const value = entry.kind === 'field' || entry.kind === 'item' ? entry.value : undefined;
    const when = value && presenceConditions(value);
    if (!when) return undefined;
    conditions.push(...when);
  }
  return conditions.length ? conditions : undefined;
}
