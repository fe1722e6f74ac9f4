import { Values } from 'helm-synth';

/** Tags Docker accepts. */
const IMAGE_TAG = '^[\\w][\\w.-]{0,127}$';

/** The `image` group of a values block: repository, tag and pull policy. */
export function imageValues(repository: string, tag: string) {
  return Values.group('Container image.', {
    repository: Values.string({ description: 'Image repository.', default: repository }),
    tag: Values.string({ description: 'Image tag.', default: tag, pattern: IMAGE_TAG }),
    pullPolicy: Values.enum({
      description: 'When the kubelet pulls the image.',
      values: ['Always', 'IfNotPresent', 'Never'],
      default: 'IfNotPresent',
    }),
  });
}
