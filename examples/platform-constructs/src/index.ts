export { CronTask } from './cron-task';
export type { CronTaskProps, CronTaskValues, CronTaskValuesProps } from './cron-task';
export { imageValues } from './image-values';
export { WebService } from './web-service';
export type { WebServiceProps, WebServiceValues, WebServiceValuesProps } from './web-service';
