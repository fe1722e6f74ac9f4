import { Token, TokenUse } from './token';

const RELEASE_TOKENS = Symbol.for('helm-synth.release-tokens.v1');

interface ReleaseTokens {
  readonly name: Token;
  readonly namespace: Token;
}

function releaseTokens(): ReleaseTokens {
  const holder = globalThis as unknown as { [RELEASE_TOKENS]?: ReleaseTokens };
  return (holder[RELEASE_TOKENS] ??= {
    name: new Token({ use: TokenUse.STRING, description: 'release name', operand: '.Release.Name' }),
    namespace: new Token({ use: TokenUse.STRING, description: 'release namespace', operand: '.Release.Namespace' }),
  });
}

/** The release being installed, as string tokens valid in every chart. */
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
