/** Entry of a native-engine worker thread (compiled layout; the agent bundle has its own entry). */
import { runLoadWorker } from './load-worker.js';

void runLoadWorker();
