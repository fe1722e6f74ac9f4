/** How a reference is used where it appears, which decides the template text it renders as. */
export enum ReferenceUse {
  /** A string scalar: `{{ X | quote }}`. */
  STRING = 'string',
  /** An integer scalar: `{{ X | int64 }}` (a bare number prints 1000000 as `1e+06`). */
  INTEGER = 'integer',
  /** A floating-point scalar: `{{ X }}`. */
  NUMBER = 'number',
  /** A boolean scalar: `{{ X }}`. */
  BOOLEAN = 'boolean',
  /** An object or list: `key:` then `{{- toYaml X | nindent N }}`, omitted when empty. */
  OBJECT = 'object',
}

/** Something that synthesizes to a Go-template expression: a value, a release field, a resource name. */
export interface Reference {
  /** The Go-template operand, e.g. `.Values.image.tag` or `(include "web.fullname" .)`. */
  readonly expression: string;
  /** How it is used where it appears. */
  readonly use: ReferenceUse;
  /** What it is, for error messages (e.g. `value image.tag`). */
  readonly description: string;
  /** A secret: allowed only in a Secret's `stringData`. @default false */
  readonly secret?: boolean;
}

const MARKER_PREFIX = 'helmsynth';
const MARKER_SUFFIX = 'z';

/**
 * Matches a marker. Case-insensitive because cdk8s lower-cases resource names, and a marker may
 * end up inside one.
 */
export const MARKER_PATTERN = new RegExp(`${MARKER_PREFIX}(\\d+)${MARKER_SUFFIX}`, 'gi');

const ONE_MARKER = new RegExp(MARKER_PATTERN.source, 'i');
const WHOLE_MARKER = new RegExp(`^${MARKER_PATTERN.source}$`, 'i');
const registry: Reference[] = [];
const markerOf = new Map<string, string>();

/**
 * Process-wide registry of references handed out as plain-text markers, so that they can flow
 * through typed props (cdk8s-plus takes strings and numbers) and be found again in the JSON.
 */
export const References = {
  /**
   * Returns the marker string for a reference. The same expression and use (or the same `key`, for
   * references whose expression is only known at synthesis) give the same marker.
   */
  marker(reference: Reference, key = `${reference.use}\u0000${reference.expression}`): string {
    let marker = markerOf.get(key);
    if (!marker) {
      registry.push(reference);
      marker = `${MARKER_PREFIX}${registry.length - 1}${MARKER_SUFFIX}`;
      markerOf.set(key, marker);
    }
    return marker;
  },

  /** The reference behind a marker id (the digits of a marker). */
  lookup(id: number): Reference | undefined {
    return registry[id];
  },

  /** The reference when the text is exactly one marker (case-insensitive), else undefined. */
  wholeReference(text: string): Reference | undefined {
    const match = WHOLE_MARKER.exec(text);
    return match ? registry[Number(match[1])] : undefined;
  },

  /** The first marker in the text, if any. */
  firstMarker(text: string): string | undefined {
    return ONE_MARKER.exec(text)?.[0];
  },

  /** True when the text holds at least one marker. */
  containsMarker(text: string): boolean {
    return References.firstMarker(text) !== undefined;
  },
};

/** A string token for a reference, used as a plain string in props. */
export function stringToken(reference: Reference): string {
  return References.marker(reference);
}

/** A number token for a reference: a string marker typed as `number` for numeric props. */
export function numberToken(reference: Reference): number {
  return References.marker(reference) as unknown as number;
}

/** A boolean token for a reference: a string marker typed as `boolean` for boolean props. */
export function booleanToken(reference: Reference): boolean {
  return References.marker(reference) as unknown as boolean;
}

/** An object or list token: a string marker typed as `T`, only valid as a whole field's value. */
export function objectToken<T>(reference: Reference): T {
  return References.marker(reference) as unknown as T;
}

/** References to the release being installed, as tokens. */
export const Release = {
  /** The release name, `{{ .Release.Name }}`. */
  get name(): string {
    return stringToken({ expression: '.Release.Name', use: ReferenceUse.STRING, description: 'release name' });
  },
  /** The release namespace, `{{ .Release.Namespace }}`. */
  get namespace(): string {
    return stringToken({ expression: '.Release.Namespace', use: ReferenceUse.STRING, description: 'release namespace' });
  },
};
