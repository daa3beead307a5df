/**
 * Comments on journal posts, one file per concern: the rules, commenters' keys, rendering, the
 * public thread, posting (with its spam defences), moderation, notices and digests, and the
 * commenter's rights (erasure, export).
 *
 * E-mail addresses of commenters are never stored. A comment keeps `email_hash`, an
 * HMAC-SHA256 of the lower-cased address keyed with the installation's secret (see
 * `journalSecret`), which is enough to find someone's comments when they ask for them, to mail
 * them an erasure link to the address they type, and to count their comments against the
 * limit. The address is not verified, so it never skips moderation: every visitor's comment
 * waits for a moderator; members of the lab are published at once (decision 010).
 */
export {
	COMMENT_STATES,
	type CommentState,
	MODERATION_ACTIONS,
	type ModerationAction,
	NOTIFY_MODES,
	type NotifyMode,
	COMMENT_RULES,
	MODERATION_PAGE_SIZE,
	isModerationAction,
	isNotifyMode
} from './rules';
export { journalSecret, resetJournalSecretForTests, emailHash, addressGroup } from './keys';
export { renderComment, countLinks } from './render';
export { type PublicComment, publicComments } from './thread';
export { type CommentInput, postComment } from './posting';
export { type ModerationRow, moderationQueue, moderate } from './moderation';
export { notifyMode, setNotifyMode, sendDigests } from './digests';
export { erasureToken, requestErasure, checkErasureToken, eraseByToken, type CommenterComment, commenterData, eraseCommenter } from './erasure';
