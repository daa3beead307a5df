/** Row types of the tables the `jobs` domain owns (see src/lib/server/architecture.ts). */
import type { Generated } from 'kysely';

export interface ImportJobTable {
	id: string;
	lab_id: string;
	kind: string;
	state: string;
	file_name: string;
	total: number;
	done: number;
	payload: string;
	result: string;
	created_by: string | null;
	created_at: string;
	updated_at: string;
	/** Runs started (a lapsed lease counts as one); the job fails at `max_attempts`. */
	attempts: Generated<number>;
	max_attempts: Generated<number>;
	/** The worker running it and until when its lease holds (renewed while it runs). */
	claimed_by: string | null;
	lease_until: string | null;
	/** A queued job waits until then (backoff after a failed attempt). */
	run_after: string | null;
	/** The last attempt's error message (for logs and the coordinator). */
	error: string | null;
	started_at: string | null;
	finished_at: string | null;
}

/** One row per periodic task: the server that moves `next_run_at` forward runs it. */
export interface JobTickTable {
	name: string;
	next_run_at: string;
	claimed_by: string | null;
	last_run_at: string | null;
}
