// Boots a load-generator thread (bench/lib/load.ts): registers tsx, as the main thread does with --import tsx,
// then imports the load module the thread was started for.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
