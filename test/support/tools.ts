/**
 * Skips a suite whose tool is missing, with a visible message. Under CI (`.ci/run` sets
 * HELM_SYNTH_REQUIRE_TOOLS=1 after installing every tool) a missing tool is an error instead.
 */
export function reportMissingTool(message: string): void {
  if (process.env.HELM_SYNTH_REQUIRE_TOOLS === '1') throw new Error(`required tool missing in CI: ${message}`);
  console.warn(`SKIPPED: ${message}`);
}
