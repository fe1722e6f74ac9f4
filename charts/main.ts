import { HelmApp } from '../src';
import { buildApp } from './app';

buildApp(new HelmApp()).synth();
