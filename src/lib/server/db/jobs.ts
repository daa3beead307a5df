/**
 * Moved to the jobs platform folder, which owns `import_job` (../jobs/stage.ts); these names stay
 * here only until the last importer imports them from '../jobs'.
 */
import { READY_TTL_MS as TTL, stageImportJob as stage } from '../jobs/stage';

export const READY_TTL_MS = TTL;
export const stageImportJob = stage;
