// Worker threads do not inherit the test runner's TypeScript loader: register tsx, then run.
import { register } from 'tsx/esm/api';
register();
await import('./jobs-worker.ts');
