import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { HelmSynthError } from '../errors';
import { OutputDisk } from './output-fs';
import { isTemporaryName, OutputFileNames } from './owned-files';

/** Files whose presence says a folder is a project, not an output folder. */
const PROJECT_MARKERS = ['cdk8s.yaml', 'package.json', '.git'];
const HOW_TO_PROCEED = 'choose an empty or new folder (--output, or output: in cdk8s.yaml)';

/** What the guard learnt about the output folder. */
export interface OutputFolder {
  /** The folder with symbolic links resolved: where files are written. */
  readonly real: string;
  /** Whether the folder exists. */
  readonly exists: boolean;
}

/** What the output folder must stay clear of. */
export interface GuardOptions {
  /** The project folder (holding cdk8s.yaml): the output may not be it or above it. */
  readonly projectDir: string;
  /** The app's entry file: the output may not hold it. @default none */
  readonly appFile?: string;
}

/**
 * Refuses an output folder that synthesis could damage, before anything is written: the project
 * folder or a folder above it, a folder inside `.git`, a folder that holds cdk8s.yaml,
 * package.json, `.git` or the app file, an existing file, and a non-empty folder that helm-synth
 * has no manifest for (someone else's files). A symbolic link to a folder is followed.
 */
export function checkOutputFolder(outdir: string, options: GuardOptions, disk: OutputDisk): OutputFolder {
  const shown = disk.show(outdir);
  const refuse = (message: string): never => {
    throw new HelmSynthError(shown, `refusing to write charts here: ${message}`);
  };
  const stat = disk.statIfPresent(outdir);
  if (stat && !stat.isDirectory()) refuse(`it is an existing file, not a folder; ${HOW_TO_PROCEED}`);
  const real = realPath(outdir, disk);
  const project = realPath(resolve(options.projectDir), disk);
  if (real === project) refuse(`it is the project folder; ${HOW_TO_PROCEED}, such as dist`);
  if (isInside(real, project)) refuse(`it is above the project folder ${project}; ${HOW_TO_PROCEED} inside the project, such as dist`);
  if (real.split(sep).includes('.git') || resolve(outdir).split(sep).includes('.git'))
    refuse(`it is inside a .git folder; ${HOW_TO_PROCEED}`);
  if (options.appFile) {
    const app = realPath(resolve(options.appFile), disk);
    if (isInside(real, app)) refuse(`it holds the app file ${disk.show(app)}; ${HOW_TO_PROCEED}`);
  }
  if (!stat) return { real, exists: false };
  const entries = disk.listIfPresent(real) ?? [];
  const names = entries.map((e) => e.name);
  const marker = PROJECT_MARKERS.find((m) => names.includes(m));
  if (marker) refuse(`it holds ${marker}, so it looks like a project folder; ${HOW_TO_PROCEED}`);
  const ours = names.includes(OutputFileNames.MANIFEST) || names.includes(OutputFileNames.JOURNAL);
  const others = names.filter((n) => n !== OutputFileNames.LOCK && !isTemporaryName(n)).sort();
  if (!ours && others.length > 0) {
    const listed = others.slice(0, 5).join(', ') + (others.length > 5 ? ` and ${others.length - 5} more` : '');
    refuse(
      `the folder is not empty and has no ${OutputFileNames.MANIFEST} (helm-synth did not write it): it holds ${listed}; ` +
        `helm-synth never overwrites or deletes files it did not write: move these away, or ${HOW_TO_PROCEED}`,
    );
  }
  return { real, exists: true };
}

/** Whether `path` is strictly inside `folder` (both absolute, symbolic links resolved). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel);
}

/** The path with symbolic links resolved, for the part of it that exists. */
function realPath(path: string, disk: OutputDisk): string {
  const missing: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    try {
      return join(disk.fs.realpathSync(p), ...missing.reverse());
    } catch {
      if (dirname(p) === p) return path;
      missing.push(basename(p));
    }
  }
}
