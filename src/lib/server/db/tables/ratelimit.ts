/** Row types of the tables the `ratelimit` domain owns (see src/lib/server/architecture.ts). */

export interface RateLimitTable {
	key: string;
	count: number;
	reset_at: string;
}
