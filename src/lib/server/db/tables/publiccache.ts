/** Row types of the tables the `publiccache` platform owns (see src/lib/server/architecture.ts). */

/** One row per lab: moved forward by every write that changes the lab's public site. */
export interface ContentVersionTable {
	lab_id: string;
	version: number;
	/** When the version last moved (Last-Modified of what was rendered at it). */
	changed_at: string;
	/** The earliest time a scheduled post of the lab is due (kept by the journal); null when none. */
	next_publish_at: string | null;
}
