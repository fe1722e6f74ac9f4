import { describeValue, HelmSynthError } from '../errors';
import { describeText, hasToken, Token, TokenUse } from '../tokens/token';

/** A declared value as a condition reads it (a `BooleanValue`, or any value compared with `eq`/`ne`). */
export interface ConditionOperand {
  /** The chart the value belongs to. */
  readonly owner: { readonly node: { readonly path: string } };
  /** Its dotted path in values.yaml. */
  readonly path: string;
  /** Its type (`boolean` to be a condition by itself). */
  readonly type: string;
  /** The Go-template operand that reads it, e.g. `.Values.ingress.enabled`. */
  readonly expression: string;
  /** Its default, for previews of the default render. */
  readonly default?: unknown;
  /** The allowed strings of an enum value. */
  readonly values?: readonly string[];
}

type ConditionNode =
  | { readonly kind: 'value'; readonly value: ConditionOperand }
  | { readonly kind: 'compare'; readonly value: ConditionOperand; readonly equal: boolean; readonly literal: string | number | boolean }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'all' | 'any'; readonly operands: readonly Condition[] };

const CONDITION_BRAND = Symbol.for('helm-synth.Condition');

/**
 * A boolean expression over a chart's values, rendered as one Go-template expression: what
 * `Template.of(x).enableWhen(...)` and `setIf(...)` take. Made from a boolean value
 * (`Condition.from(v)`, or the value itself where a condition is taken), comparisons
 * (`value.eq(x)`, `value.ne(x)`), `.not()`, `Condition.and(...)` and `Condition.or(...)`.
 */
export class Condition {
  /** True for a Condition of any copy of the library. */
  public static isCondition(x: unknown): x is Condition {
    return typeof x === 'object' && x !== null && CONDITION_BRAND in x;
  }

  /** A boolean value as a condition (a Condition is returned as it is). */
  public static from(value: ConditionOperand | Condition): Condition {
    if (Condition.isCondition(value)) return value;
    if (!value || typeof value !== 'object' || typeof (value as ConditionOperand).path !== 'string') {
      throw new HelmSynthError('Condition.from', `${describeValue(value)} is not a boolean value or a Condition`);
    }
    if (value.type !== 'boolean') {
      throw new HelmSynthError(
        value.owner.node.path,
        `value ${value.path} is a ${value.type} value, not a boolean: compare it with eq(...) or ne(...) to make a condition`,
      );
    }
    return new Condition({ kind: 'value', value });
  }

  /**
   * Same as {@link Condition.from}.
   * @deprecated Use `Condition.from`; `of` is kept for one minor version.
   */
  public static of(value: ConditionOperand | Condition): Condition {
    return Condition.from(value);
  }

  /** True when every condition is. */
  public static and(...conditions: Array<ConditionOperand | Condition>): Condition {
    return Condition.combine('all', conditions);
  }

  /** True when at least one condition is. */
  public static or(...conditions: Array<ConditionOperand | Condition>): Condition {
    return Condition.combine('any', conditions);
  }

  /** @internal A comparison of a value with a literal of its type (`value.eq(x)`, `value.ne(x)`). */
  public static compare(value: ConditionOperand, literal: unknown, equal: boolean): Condition {
    const where = value.owner.node.path;
    const expected = value.type === 'integer' || value.type === 'number' ? 'number' : value.type === 'boolean' ? 'boolean' : 'string';
    if (value.type === 'list' || value.type === 'object' || value.type === 'secret') {
      throw new HelmSynthError(where, `value ${value.path} is a ${value.type} value and cannot be compared`);
    }
    if (hasToken(literal)) {
      throw new HelmSynthError(
        where,
        `value ${value.path} can only be compared with a literal, not with ${describeText(literal)}: the literal is written into the condition`,
      );
    }
    if (
      typeof literal !== expected ||
      (value.type === 'integer' && !Number.isSafeInteger(literal)) ||
      (expected === 'number' && !Number.isFinite(literal))
    ) {
      throw new HelmSynthError(
        where,
        `value ${value.path} (${value.type}) cannot be compared with ${describeValue(literal)}: give a ${value.type === 'integer' ? 'an integer' : expected}`,
      );
    }
    if (value.type === 'enum' && Array.isArray(value.values) && !value.values.includes(literal as string)) {
      throw new HelmSynthError(
        where,
        `value ${value.path} (enum) is compared with ${describeValue(literal)}, which is not one of its values ${describeValue(value.values)}: the condition would be ${equal ? 'always false' : 'always true'}`,
      );
    }
    return new Condition({ kind: 'compare', value, equal, literal: literal as string | number | boolean });
  }

  private static combine(kind: 'all' | 'any', conditions: Array<ConditionOperand | Condition>): Condition {
    if (conditions.length === 0) throw new HelmSynthError('Condition', `${kind === 'all' ? 'and' : 'or'}() needs at least one condition`);
    const operands = conditions.map((c) => Condition.from(c));
    if (operands.length === 1) return operands[0];
    const owners = new Set(operands.flatMap((c) => c.owners));
    if (owners.size > 1) {
      throw new HelmSynthError(
        [...owners][1].node.path,
        `a condition combines values of different charts (${[...owners].map((o) => o.node.path).join(', ')}); a chart's templates can only read its own values`,
      );
    }
    return new Condition({ kind, operands });
  }

  private readonly root: ConditionNode;

  private constructor(root: ConditionNode) {
    this.root = root;
    Object.defineProperty(this, CONDITION_BRAND, { value: true });
  }

  /** The negation. */
  public not(): Condition {
    return this.root.kind === 'not' ? this.root.operand : new Condition({ kind: 'not', operand: this });
  }

  /** The Go-template expression, e.g. `(and .Values.a (not .Values.b))`, usable after `if`. */
  public get expression(): string {
    const root = this.root;
    switch (root.kind) {
      case 'value':
        return root.value.expression;
      case 'compare':
        return `(${root.equal ? 'eq' : 'ne'} ${typed(root.value)} ${literalText(root.value, root.literal)})`;
      case 'not':
        return `(not ${root.operand.expression})`;
      case 'all':
      case 'any':
        return `(${root.kind === 'all' ? 'and' : 'or'} ${root.operands.map((c) => c.expression).join(' ')})`;
    }
  }

  /** How people read it: `ingress.enabled`, `not autoscaling.enabled`, `service.type == "LoadBalancer"`. */
  public get description(): string {
    const root = this.root;
    switch (root.kind) {
      case 'value':
        return root.value.path;
      case 'compare':
        return `${root.value.path} ${root.equal ? '==' : '!='} ${JSON.stringify(root.literal)}`;
      case 'not':
        return `not ${root.operand.kind === 'value' ? root.operand.description : `(${root.operand.description})`}`;
      case 'all':
      case 'any':
        return root.operands
          .map((c) => (c.kind === 'all' || c.kind === 'any' ? `(${c.description})` : c.description))
          .join(root.kind === 'all' ? ' and ' : ' or ');
    }
  }

  /**
   * The charts whose values it reads (one, for a valid condition); synthesis checks it.
   * @internal
   */
  public get owners(): ReadonlyArray<ConditionOperand['owner']> {
    const root = this.root;
    if (root.kind === 'value' || root.kind === 'compare') return [root.value.owner];
    if (root.kind === 'not') return root.operand.owners;
    return [...new Set(root.operands.flatMap((c) => c.owners))];
  }

  /**
   * The condition as a boolean token, for a prop written into the object as it is; a new token
   * each call, refused at synthesis when it never reaches a template (code branched on it).
   */
  public asBoolean(): boolean {
    return new Token({
      use: TokenUse.BOOLEAN,
      owner: this.owners[0],
      description: `condition ${this.description}`,
      reference: `{{ ${this.expression} }}`,
      idText: () => this.description.replace(/[^A-Za-z0-9]+/g, '-'),
      operand: this.expression,
      preview: () => this.preview(),
    }).marker as unknown as boolean;
  }

  /**
   * Whether the condition holds with the chart's default values (synthesis previews with it).
   * @internal
   */
  public preview(): boolean {
    const root = this.root;
    switch (root.kind) {
      case 'value':
        return Boolean(root.value.default ?? false);
      case 'compare':
        return (root.value.default === root.literal) === root.equal;
      case 'not':
        return !root.operand.preview();
      case 'all':
        return root.operands.every((c) => c.preview());
      case 'any':
        return root.operands.some((c) => c.preview());
    }
  }

  /**
   * True when this condition holding guarantees that `other` holds, by the shape of both (the same
   * expression, an `and` that contains it, an `or` that contains this). Undecided cases are false.
   * @internal
   */
  public implies(other: Condition | undefined): boolean {
    if (other === undefined) return true;
    const expression = other.expression;
    if (this.expression === expression) return true;
    if (this.root.kind === 'all' && this.root.operands.some((c) => c.implies(other))) return true;
    if (other.root.kind === 'any' && other.root.operands.some((c) => this.implies(c))) return true;
    if (other.root.kind === 'all' && other.root.operands.every((c) => this.implies(c))) return true;
    return false;
  }

  private get kind(): ConditionNode['kind'] {
    return this.root.kind;
  }
}

function typed(value: ConditionOperand): string {
  switch (value.type) {
    case 'integer':
      return `(${value.expression} | int64)`;
    case 'number':
      return `(${value.expression} | float64)`;
    case 'boolean':
      return value.expression;
    default:
      return `(${value.expression} | toString)`;
  }
}

/** A Go-template literal of the value's type: a number value compares with a float (`2.0`), never an int. */
function literalText(value: ConditionOperand, literal: string | number | boolean): string {
  if (value.type === 'number' && Number.isInteger(literal)) return (literal as number).toFixed(1);
  return JSON.stringify(literal);
}
