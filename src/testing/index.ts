/**
 * helm-synth/testing: helpers for testing charts with jest. jest is not a dependency of
 * helm-synth; the helpers that need it look up jest's globals when called.
 */
export { ChartFileText, chartSnapshotSerializer, expectChartSnapshot } from './chart-snapshot';
export type { JestExpect, SnapshotSerializer } from './jest-globals';
export { RenderedChart } from './rendered-chart';
export { Testing } from './testing';
export type { RenderableChart, RenderOptions } from './testing';
export type { RenderedDocument } from '../helm/manifests';

// Types the helpers' signatures name, from the `helm-synth` entry point (import the classes from there).
export type { ChartFiles } from '../synth/chart-files';
export type { HelmApp, HelmAppProps } from '../synth/helm-app';
export type { HelmChart, HelmChartProps } from '../chart/helm-chart';
