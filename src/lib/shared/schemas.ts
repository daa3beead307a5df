import { safeLocalPath } from './paths';
import { z } from 'zod';
import { LOCALES, ROLES } from './roles';
import { KNOWLEDGE_TYPES, VISIBILITIES, parseOutputs, parseTags } from './knowledge';
import { EVENT_KINDS, localDateTime, parseDecisions, parseParticipants } from './events';
import { parisToIso } from './time';
import { isIsoDay } from './events';
import { parseBudgetLines, readEuros } from './money';
import { parseSections } from './specs';
import { EXPERIMENT_STATUSES, MILESTONE_STATES, RESPONSIBILITIES, VERDICTS } from './experiments';
import type { MessageKey } from '$lib/i18n';
import { msg } from './forms';

// Every form and API boundary parses through one of these. Error messages are catalogue keys.

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max)
		.optional()
		.transform((v) => (v ? v : null));

export const emailField = z.string().trim().min(1).max(254).pipe(z.email());
export const passwordField = z.string().min(10).max(200);

export const loginSchema = z.object({
	email: emailField,
	password: z.string().min(1).max(200)
});

export const forgotSchema = z.object({ email: emailField });

export const newPasswordSchema = z
	.object({ password: passwordField, confirm: z.string().max(200) })
	.refine((v) => v.password === v.confirm, { message: msg('form.passwordMismatch'), path: ['confirm'] });

export const acceptNewSchema = z
	.object({ name: text(120), password: passwordField, confirm: z.string().max(200) })
	.refine((v) => v.password === v.confirm, { message: msg('form.passwordMismatch'), path: ['confirm'] });

export const acceptExistingSchema = z.object({ password: z.string().min(1).max(200) });

export const profileSchema = z.object({
	name: text(120),
	organisation: optionalText(200),
	locale: z.enum(LOCALES)
});

export const changePasswordSchema = z
	.object({ current: z.string().min(1).max(200), password: passwordField, confirm: z.string().max(200) })
	.refine((v) => v.password === v.confirm, { message: msg('form.passwordMismatch'), path: ['confirm'] });

export const inviteSchema = z.object({
	name: text(120),
	email: emailField,
	role: z.enum(ROLES)
});

export const changeRoleSchema = z.object({ membershipId: z.string().uuid(), role: z.enum(ROLES) });
export const membershipIdSchema = z.object({ membershipId: z.string().uuid() });
export const invitationIdSchema = z.object({ invitationId: z.string().uuid() });

export const localeSchema = z.object({
	locale: z.enum(LOCALES),
	redirectTo: z
		.string()
		.max(2000)
		.optional()
		.transform((v) => safeLocalPath(v) ?? '/')
});

export const knowledgeSchema = z.object({
	type: z.enum(KNOWLEDGE_TYPES),
	title: text(200),
	body: z.string().max(100_000).default(''),
	tags: z
		.string()
		.max(1000)
		.default('')
		.transform((v) => parseTags(v)),
	visibility: z.enum(VISIBILITIES)
});
export const knowledgeUpdateSchema = knowledgeSchema.extend({ baseVersion: z.coerce.number().int().min(1) });

export const knowledgeFilterSchema = z.object({
	type: z.enum(KNOWLEDGE_TYPES).optional().catch(undefined),
	tag: z.string().trim().max(40).optional().catch(undefined)
});

const day = z
	.string()
	.refine((v) => isIsoDay(v))
	.optional()
	.catch(undefined);
export const searchFilterSchema = z.object({
	q: z.string().max(200).optional().catch(undefined),
	type: z.enum(['knowledge', 'event', 'experiment', 'post']).optional().catch(undefined),
	tag: z.string().trim().max(40).optional().catch(undefined),
	status: z.enum(EXPERIMENT_STATUSES).optional().catch(undefined),
	from: day,
	to: day
});

/** A textarea of one row per line, read by `parse`; its first bad line is the field's error. */
export const lines = <T>(parse: (v: string) => { ok: true; rows: T[] } | { ok: false; line: number; key: MessageKey }) =>
	z
		.string()
		.max(50_000)
		.default('')
		.transform((v, ctx) => {
			const r = parse(v);
			if (r.ok) return r.rows;
			ctx.addIssue({ code: 'custom', message: r.key, params: { line: r.line } });
			return z.NEVER;
		});

export const eventSchema = z.object({
	kind: z.enum(EVENT_KINDS),
	title: text(200),
	startsAt: localDateTime.transform(parisToIso),
	endsAt: localDateTime.transform(parisToIso),
	place: z.string().trim().max(200).default(''),
	onlineUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(500)]).default(''),
	description: z.string().max(50_000).default(''),
	agenda: z.string().max(50_000).default(''),
	minutes: z.string().max(100_000).default(''),
	participants: lines(parseParticipants),
	decisions: lines(parseDecisions)
});

export const outputsSchema = z.object({ outputs: lines(parseOutputs) });
export const eventCancelSchema = z.object({ reason: z.string().trim().max(500).default('') });
// z.unknown(): an optional string would skip the check when the box is not ticked (no field sent).
export const eventDeleteSchema = z.object({ confirm: z.unknown().refine((v) => v === 'yes', { message: msg('event.deleteConfirmRequired') }) });

export const eventFilterSchema = z.object({
	kind: z.enum(EVENT_KINDS).optional().catch(undefined),
	when: z.enum(['upcoming', 'past']).optional().catch(undefined)
});

const num = z.coerce.number().min(0).max(10_000).multipleOf(0.5);
export const experimentSchema = z.object({
	title: text(200),
	scenario: z.string().trim().max(300).default(''),
	summary: z.string().max(50_000).default(''),
	sponsor: z.string().trim().max(200).default(''),
	operator: z.string().trim().max(200).default(''),
	partners: z.string().trim().max(500).default(''),
	lineage: z.string().max(100).default(''),
	conclusions: z.string().max(50_000).default('')
});
export const experimentFilterSchema = z.object({
	status: z.enum(EXPERIMENT_STATUSES).optional().catch(undefined),
	q: z.string().trim().max(100).optional().catch(undefined)
});
export const moveSchema = z.object({ experimentId: z.string().uuid(), from: z.enum(EXPERIMENT_STATUSES), to: z.enum(EXPERIMENT_STATUSES) });
export const milestoneSchema = z.object({ title: text(200), dueOn: z.string().refine(isIsoDay, 'form.invalidDate') });
export const milestoneStateSchema = z.object({ milestoneId: z.string().uuid(), state: z.enum(MILESTONE_STATES) });
export const teamSchema = z.object(
	Object.fromEntries(
		RESPONSIBILITIES.flatMap((r) => [
			[`${r}_person`, z.string().trim().max(120).default('')],
			[`${r}_personId`, z.string().trim().max(64).default('')],
			[`${r}_estimated`, num.default(0)],
			[`${r}_actual`, num.default(0)]
		])
	) as Record<string, z.ZodType<string | number>>
);
export const testSchema = z.object({ knowledgeId: z.string().uuid() });
export const verdictSchema = z.object({ testId: z.string().uuid(), verdict: z.enum(VERDICTS), evidence: z.string().max(10_000).default('') });
export const lessonSchema = z.object({ title: text(200), body: z.string().max(50_000).default('') });
export const accessSchema = z.object({ accountId: z.string().uuid() });

/** A positive amount typed in euros → cents, or a "bad amount" message. */
const toCents = (v: string, ctx: z.RefinementCtx): number => {
	const c = readEuros(v);
	if (!c.ok || c.cents === 0) {
		ctx.addIssue({ code: 'custom', message: msg(!c.ok && c.reason === 'tooLarge' ? 'fund.amountTooLarge' : 'fund.badAmount') });
		return z.NEVER;
	}
	return c.cents;
};
const euros = z.string().max(30).transform(toCents);
/** Blank means "not given". */
const optionalEuros = z
	.string()
	.max(30)
	.transform((v, ctx) => (v.trim() ? toCents(v, ctx) : undefined));
export const fundSchema = z.object({ name: text(120), deciders: z.enum(['coordinator', 'committee']) });
export const envelopeSchema = z.object({ fundId: z.string().uuid(), year: z.coerce.number().int().min(2000).max(2100), amount: euros });
export const requestSchema = z.object({
	envelopeId: z.string().uuid(),
	experimentId: z.string().uuid(),
	title: text(200),
	justification: z.string().max(20_000).default(''),
	lines: lines(parseBudgetLines)
});
export const decisionSchema = z.object({
	decision: z.enum(['approve', 'reject']),
	/** Blank: the amount requested. */
	amount: optionalEuros.optional(),
	/** Required, but checked with the amount by the service so both mistakes are told at once. */
	reason: z.string().trim().max(2000).default('')
});
export const editRequestSchema = requestSchema.pick({ title: true, justification: true, lines: true });
export const entrySchema = z.object({
	kind: z.enum(['commitment', 'payment', 'release']),
	envelopeId: z.string().uuid(),
	experimentId: z.string().uuid(),
	commitmentId: z.string().optional(),
	amount: euros,
	category: z.string().trim().max(60).default(''),
	reference: text(300)
});
export const reverseSchema = z.object({ entryId: z.string().uuid(), reason: text(300) });

export const specSchema = z.object({
	title: text(200),
	experimentId: z
		.string()
		.max(40)
		.default('')
		.transform((v) => v || null),
	source: z.string().trim().max(300).default(''),
	notes: z.string().max(20_000).default(''),
	rating: z
		.string()
		.default('')
		.transform((v, ctx) => {
			if (!v) return null;
			const n = Number(v);
			if (!Number.isInteger(n) || n < 1 || n > 5) {
				ctx.addIssue({ code: 'custom', message: msg('form.invalidChoice') });
				return z.NEVER;
			}
			return n;
		}),
	sections: z
		.string()
		.max(200_000)
		.default('')
		.transform((v) => parseSections(v))
});
export const specUpdateSchema = specSchema.extend({ baseVersion: z.coerce.number().int().min(1) });
export const awardSchema = z.object({ operator: text(200), amount: euros, envelopeId: z.string().uuid() });

export const memberFilterSchema = z.object({
	q: z.string().trim().max(100).optional().catch(undefined),
	role: z.enum(ROLES).optional().catch(undefined)
});

const isoDay = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/)
	.optional()
	.catch(undefined);
export const auditFilterSchema = z.object({
	action: z.string().trim().max(80).optional().catch(undefined),
	actor: z.string().trim().max(100).optional().catch(undefined),
	from: isoDay,
	to: isoDay
});
