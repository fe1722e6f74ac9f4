import { Token, TokenUse } from './token';

const RELEASE_TOKENS = Symbol.for('helm-synth.release-tokens.v2');

/** The release a preview of the default render assumes: `helm template`'s defaults. */
export const PREVIEW_RELEASE = { name: 'release-name', namespace: 'default' } as const;

interface ReleaseTokens {
  readonly name: Token;
  readonly namespace: Token;
}

function releaseTokens(): ReleaseTokens {
  const holder = globalThis as unknown as { [RELEASE_TOKENS]?: ReleaseTokens };
  return (holder[RELEASE_TOKENS] ??= {
    name: new Token({
      use: TokenUse.STRING,
      description: 'release name',
      reference: '.Release.Name',
      idText: () => 'ReleaseName',
      operand: '.Release.Name',
      preview: () => PREVIEW_RELEASE.name,
    }),
    namespace: new Token({
      use: TokenUse.STRING,
      description: 'release namespace',
      reference: '.Release.Namespace',
      idText: () => 'ReleaseNamespace',
      operand: '.Release.Namespace',
      preview: () => PREVIEW_RELEASE.namespace,
    }),
  });
}

/**
 * The release being installed, as string tokens valid in every chart.
 *
 * The two tokens are made on the first read of either field, once per process (shared by every copy
 * of the library through a `Symbol.for` slot), which no reader can observe: they belong to no chart
 * (reading them adds nothing to one), their markers never reach a chart file (synthesis writes
 * `.Release.Name` and `.Release.Namespace`), and what a chart is written as does not depend on when
 * or whether they were first read (`test/core/pure-getters.test.ts`).
 */
export const Release = {
  /** The release name: `{{ .Release.Name }}`. */
  get name(): string {
    return releaseTokens().name.marker;
  },
  /** The release namespace: `{{ .Release.Namespace }}`. */
  get namespace(): string {
    return releaseTokens().namespace.marker;
  },
};
