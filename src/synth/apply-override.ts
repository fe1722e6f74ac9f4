import { describeText, Token, TokenUse, wholeToken } from '../tokens/token';
import { STANDARD_LABELS } from '../chart/kinds';
import { FieldOperation, FieldOverride, FieldPathSegment } from '../chart/template';
import { Condition } from '../values/condition';
import { ChoiceNode, fieldOf, ListItem, ListNode, MapNode, TemplateNode } from './template-tree';

type Path = readonly FieldPathSegment[];
type Item = Extract<ListItem, { kind: 'item' }>;

/** What applying an override needs from the tree builder. */
export interface OverrideContext {
  /** The tree of a value written by `set`/`setIf` (tokens checked). */
  convert(value: unknown, path: Path): TemplateNode;
  /** Checks that a token may be used at the path (its chart, secrets). */
  check(token: Token, path: Path): void;
  /** Fails naming the override. */
  fail(message: string): never;
  /** A path as people write it. */
  pathText(path: Path): string;
}

/**
 * Applies one `Template` field override to an object's tree, with the semantics documented in
 * docs/ARCHITECTURE.md ("Field overrides"): `set` replaces what is at the path (a whole `setIf`
 * chain included); `setIf` adds an else-if branch whose `else` is what was there; `remove` leaves
 * the field out (and out of earlier merges into its map); `merge`/`append` add a map's or list's
 * values. Below a `setIf` field every override applies to each branch and to the `else`.
 */
export function applyOverride(root: MapNode, override: FieldOverride, context: OverrideContext): void {
  new OverrideApplier(override, context).applyTo(root);
}

class OverrideApplier {
  private readonly path: Path;
  private readonly operation: FieldOperation;
  private readonly condition?: Condition;
  private readonly token?: Token;
  private found = false;

  constructor(
    private readonly override: FieldOverride,
    private readonly context: OverrideContext,
  ) {
    this.path = override.path;
    this.operation = override.operation;
    this.condition = override.condition;
    if (this.operation === FieldOperation.MERGE || this.operation === FieldOperation.APPEND) {
      const token = wholeToken(override.value);
      const wanted = this.operation === FieldOperation.MERGE ? TokenUse.MAP : TokenUse.LIST;
      if (!token || token.use !== wanted) context.fail(`takes a ${wanted} value token, got ${describeText(override.value)}`);
      context.check(token, this.path);
      this.token = token;
    }
  }

  public applyTo(root: MapNode): void {
    this.inside(root, 0, false);
    if (this.operation === FieldOperation.REMOVE && !this.found && !this.override.ifPresent) {
      this.context.fail(`${this.context.pathText(this.path)} does not exist, so there is nothing to remove`);
    }
  }

  private get creates(): boolean {
    return this.operation !== FieldOperation.REMOVE;
  }

  /** Applies the rest of the path (from `depth`) inside a map or list node, fanning out over choices. */
  private inside(node: TemplateNode, depth: number, unconditional: boolean): void {
    if (node.kind === 'choice') {
      for (const branch of node.branches) this.inside(branch.value, depth, unconditional);
      if (node.otherwise) this.inside(node.otherwise, depth, unconditional);
      else if (this.creates) node.otherwise = this.created(depth, unconditional);
      return;
    }
    const segment = this.path[depth];
    const here = this.path.slice(0, depth);
    if (typeof segment === 'number') {
      if (node.kind !== 'list') return this.context.fail(`${this.context.pathText(here)} is not a list`);
      this.item(node, segment, depth, unconditional);
      return;
    }
    if (node.kind !== 'map') return this.context.fail(`${this.context.pathText(here)} is not a map`);
    const field = fieldOf(node, segment);
    const current = field && !isNull(field.value) ? field.value : undefined;
    const last = depth === this.path.length - 1;
    if (last && this.operation === FieldOperation.REMOVE) {
      const spreads = node.entries.filter((e) => e.kind === 'spread');
      if (field || spreads.length) this.found = true;
      node.entries = node.entries
        .filter((e) => e !== field)
        .map((e) => (e.kind === 'spread' ? { ...e, removed: [...new Set([...(e.removed ?? []), segment])] } : e));
      return;
    }
    if (this.creates && STANDARD_LABELS.includes(segment) && node.entries.some((e) => e.kind === 'include')) {
      return this.context.fail(
        `${this.context.pathText([...here, segment])} is written by the chart's labels helper; an override cannot write it`,
      );
    }
    const next = this.slot(current, depth + 1, unconditional);
    if (next === undefined) return;
    if (field) field.value = next;
    else node.entries.push({ kind: 'field', key: segment, value: next });
  }

  private item(list: ListNode, index: number, depth: number, unconditional: boolean): void {
    const items = list.items.filter((i): i is Item => i.kind === 'item');
    const last = depth === this.path.length - 1;
    const there = this.context.pathText(this.path.slice(0, depth));
    if (this.operation === FieldOperation.REMOVE && index >= items.length) return;
    if (this.operation === FieldOperation.REMOVE && last) {
      this.found = true;
      list.items.splice(list.items.indexOf(items[index]), 1);
      return;
    }
    if (last && this.operation === FieldOperation.SET && index >= items.length) {
      if (index > items.length)
        return this.context.fail(`${there} has ${items.length} item(s): set [${items.length}] to append, not [${index}]`);
      list.items.push({ kind: 'item', value: this.final(undefined) });
      return;
    }
    if (index >= items.length) return this.context.fail(`${there} has ${items.length} item(s), so there is no [${index}]`);
    items[index].value = this.slot(items[index].value, depth + 1, unconditional)!;
  }

  /** The new value of the field or item at `path[0..depth)`, whose value is `current`; undefined: leave it as it is. */
  private slot(current: TemplateNode | undefined, depth: number, unconditional: boolean): TemplateNode | undefined {
    if (depth === this.path.length) return this.final(current);
    if (current === undefined) return this.creates ? this.created(depth, unconditional) : undefined;
    const container = current.kind === 'block' && current.token.use === TokenUse.MAP ? spreadOf(current.token) : current;
    this.inside(container, depth, unconditional);
    return container;
  }

  /** A field or item made where the path is missing: under a `setIf`, only when its condition holds. */
  private created(depth: number, unconditional: boolean): TemplateNode {
    if (depth === this.path.length) return this.final(undefined);
    const container: TemplateNode = typeof this.path[depth] === 'number' ? { kind: 'list', items: [] } : { kind: 'map', entries: [] };
    if (this.condition && !unconditional) {
      this.inside(container, depth, true);
      return { kind: 'choice', created: true, branches: [{ condition: this.condition, value: container }] };
    }
    this.inside(container, depth, unconditional);
    return container;
  }

  private final(current: TemplateNode | undefined): TemplateNode {
    switch (this.operation) {
      case FieldOperation.SET: {
        const value = this.context.convert(this.override.value, this.path);
        if (!this.condition) return value;
        if (current?.kind === 'choice' && !current.created) {
          current.branches.push({ condition: this.condition, value });
          return current;
        }
        const choice: ChoiceNode = { kind: 'choice', branches: [{ condition: this.condition, value }] };
        if (current) choice.otherwise = current;
        return choice;
      }
      case FieldOperation.MERGE:
      case FieldOperation.APPEND:
        return this.container(current);
      default:
        return this.context.fail('is not applied here');
    }
  }

  /** `current` with the merged map or appended list added: in each branch of a choice. */
  private container(current: TemplateNode | undefined): TemplateNode {
    const token = this.token!;
    const kind = token.use === TokenUse.MAP ? 'map' : 'list';
    if (current === undefined || isNull(current)) {
      return kind === 'map' ? { kind: 'map', entries: [{ kind: 'spread', token }] } : { kind: 'list', items: [{ kind: 'splice', token }] };
    }
    if (current.kind === 'choice') {
      for (const branch of current.branches) branch.value = this.container(branch.value);
      current.otherwise = this.container(current.otherwise);
      return current;
    }
    if (current.kind === 'block' && current.token.use === token.use) {
      return kind === 'map'
        ? {
            kind: 'map',
            entries: [
              { kind: 'spread', token: current.token },
              { kind: 'spread', token },
            ],
          }
        : {
            kind: 'list',
            items: [
              { kind: 'splice', token: current.token },
              { kind: 'splice', token },
            ],
          };
    }
    if (current.kind !== kind) {
      return this.context.fail(`${this.context.pathText(this.path)} holds a ${describeNode(current)}, not a ${kind}`);
    }
    if (current.kind === 'map') current.entries.push({ kind: 'spread', token });
    else if (current.kind === 'list') current.items.push({ kind: 'splice', token });
    return current;
  }
}

function spreadOf(token: Token): MapNode {
  return { kind: 'map', entries: [{ kind: 'spread', token }] };
}

function isNull(node: TemplateNode): boolean {
  return node.kind === 'literal' && node.value === null;
}

function describeNode(node: TemplateNode): string {
  return node.kind === 'block' ? `${node.token.use} value` : node.kind === 'literal' || node.kind === 'scalar' ? 'scalar' : node.kind;
}
