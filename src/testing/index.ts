/**
 * helm-synth/testing: helpers for testing charts with jest. jest is not a dependency of
 * helm-synth; the helpers that need it look up jest's globals when called.
 */
export { ChartFileText, chartSnapshotSerializer, expectChartSnapshot } from './chart-snapshot';
export { JestExpect, SnapshotSerializer } from './jest-globals';
export { RenderedChart } from './rendered-chart';
export { RenderableChart, RenderOptions, Testing } from './testing';
export { RenderedDocument } from '../helm/manifests';
