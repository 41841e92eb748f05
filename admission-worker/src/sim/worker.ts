// Worker-thread entry: runs each job it is sent and posts the result back.
import { parentPort } from 'node:worker_threads';
import { type Job, runJob } from './jobs.ts';

parentPort?.on('message', (job: Job) => {
  parentPort?.postMessage(runJob(job));
});
