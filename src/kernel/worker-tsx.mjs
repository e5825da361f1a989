// Boots a WorkerPool thread when Plinth runs from its TypeScript sources (tsx, vitest): registers tsx's loader in
// this thread (a loader registered in the main thread does not reach workers), then loads the worker's entry.
// Compiled JavaScript starts worker-main.js directly and never comes here.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
