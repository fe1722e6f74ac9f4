import { STANDARD_LABELS } from '../chart/kinds';
import { goString, unwrapParentheses } from '../tokens/go-template';
import { ResolveContext } from '../tokens/token';
import { escapeTemplateText } from './escape';
import { scalarTemplate } from './expression';
import { keyCheckLines, keysVariable } from './list-keys';
import { FieldEntry, ListNode, MapEntry, MapNode, TemplateNode } from './template-tree';
import { literalBlock, quoteString, yamlNumber } from './yaml-text';

/** How text is written: a template (literal text escaped for Helm) or plain YAML (crds/, values.yaml). */
export interface EmitOptions extends ResolveContext {
  /** Literal text is escaped so the template engine prints it unchanged. @default true */
  readonly template?: boolean;
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

class Emitter {
  private readonly escape: (text: string) => string;
  private keyLists = 0;

  constructor(private readonly options: EmitOptions) {
    this.escape = options.template === false ? (text) => text : escapeTemplateText;
  }

  public mapBody(map: MapNode, indent: number, out: string[]): void {
    const pad = ' '.repeat(indent);
    for (const entry of ordered(map.entries)) {
      if (entry.kind === 'include') {
        out.push(`${pad}{{- include ${goString(entry.template)} . | nindent ${indent} }}`);
      } else if (entry.kind === 'spread') {
        const fields = map.entries.filter((e): e is FieldEntry => e.kind === 'field').map((e) => e.key);
        const included = map.entries.some((e) => e.kind === 'include') ? STANDARD_LABELS : [];
        const keys = [...new Set([...fields, ...included])].map(goString);
        const operand = unwrapParentheses(entry.token.operand(this.options));
        out.push(
          `${pad}{{- with ${keys.length ? `omit (${operand}) ${keys.join(' ')}` : operand} }}`,
          `${pad}{{- toYaml . | nindent ${indent} }}`,
          `${pad}{{- end }}`,
        );
      } else if (entry.condition) {
        out.push(`${pad}{{- if ${unwrapParentheses(entry.condition.expression)} }}`);
        this.field(entry.key, entry.value, indent, out);
        out.push(`${pad}{{- end }}`);
      } else {
        this.field(entry.key, entry.value, indent, out);
      }
    }
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
      case 'map': {
        const only = node.entries.length === 1 ? node.entries[0] : undefined;
        if (node.entries.length === 0) out.push(`${head} {}`);
        else if (only?.kind === 'spread') this.field(key, { kind: 'block', token: only.token }, indent, out);
        else {
          out.push(head);
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
          out.push(head);
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
      if (item.condition) out.push(`${pad}{{- if ${unwrapParentheses(item.condition.expression)} }}`);
      this.listItem(item.value, indent, out);
      if (item.condition) out.push(`${pad}{{- end }}`);
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
        else body.unshift(`${pad}-`);
        out.push(...body);
        break;
      }
      case 'list':
        if (node.items.length === 0) out.push(`${pad}- []`);
        else {
          out.push(`${pad}-`);
          this.listBody(node, indent + 2, out);
        }
    }
  }

  /** A scalar after `head` (`key:` or `-`): a literal (a block for multi-line text) or a template expression. */
  private scalar(head: string, node: Extract<TemplateNode, { kind: 'literal' | 'scalar' }>, indent: number, out: string[]): void {
    if (node.kind === 'scalar') {
      out.push(`${head} ${scalarTemplate(node.parts, this.options, node.stringField)}`);
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

/** Fields in order, then included helpers, spread values and conditional fields. */
function ordered(entries: readonly MapEntry[]): MapEntry[] {
  const rank = (e: MapEntry): number => (e.kind === 'field' ? (e.condition ? 3 : 0) : e.kind === 'include' ? 1 : 2);
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => rank(a.entry) - rank(b.entry) || a.index - b.index)
    .map((x) => x.entry);
}
