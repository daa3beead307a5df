/** What a comment can be, what moderators can do, and the limits every posted comment meets. */

export const COMMENT_STATES = ['pending', 'approved', 'spam', 'rejected'] as const;
export type CommentState = (typeof COMMENT_STATES)[number];
export const MODERATION_ACTIONS = ['approve', 'reject', 'spam'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];
export const NOTIFY_MODES = ['each', 'digest', 'none'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];

export const COMMENT_RULES = {
	nameMax: 80,
	bodyMax: 5000,
	maxLinks: 2,
	/** A person needs at least this long between seeing the form and sending it. */
	minFillMs: 3000,
	/** Accepted comments per commenter (hashed e-mail address) and window. */
	perEmail: { max: 5, windowMs: 10 * 60_000 },
	/**
	 * Accepted comments per network address and window: higher, because a whole administration
	 * may reach the site through one proxy address. IPv6 addresses count by /64 (one household
	 * or office gets a whole /64).
	 */
	perAddress: { max: 30, windowMs: 10 * 60_000 },
	erasureTtlMs: 60 * 60_000,
	digestEveryMs: 24 * 60 * 60_000
} as const;

export const MODERATION_PAGE_SIZE = 50;

export const isState = (s: unknown): s is CommentState => typeof s === 'string' && (COMMENT_STATES as readonly string[]).includes(s);
export const isModerationAction = (s: unknown): s is ModerationAction => typeof s === 'string' && (MODERATION_ACTIONS as readonly string[]).includes(s);
export const isNotifyMode = (s: unknown): s is NotifyMode => typeof s === 'string' && (NOTIFY_MODES as readonly string[]).includes(s);
