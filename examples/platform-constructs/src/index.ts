export { CronTask, CronTaskProps } from './cron-task';
export { WebService, WebServiceProps } from './web-service';
