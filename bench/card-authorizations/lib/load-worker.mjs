// Boots a load-generator worker: registers tsx (as the main thread does with --import tsx), then runs load.ts.
import { register } from 'tsx/esm/api';

register();
await import('./load.ts');
