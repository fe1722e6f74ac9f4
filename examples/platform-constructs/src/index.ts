export { CronTask, CronTaskProps, CronTaskValues, CronTaskValuesProps } from './cron-task';
export { imageValues } from './image-values';
export { WebService, WebServiceProps, WebServiceValues, WebServiceValuesProps } from './web-service';
