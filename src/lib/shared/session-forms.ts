/**
 * The forms of a co-production session's groups page, each parsed by one schema. Error
 * messages are catalogue keys; a field's first problem is its error.
 */
import { z } from 'zod';
import { KNOWLEDGE_TYPES, type KnowledgeType } from './knowledge';
import { lines } from './schemas';
import { ACTOR_TYPES, SCALES, parseConstraintLines, type SessionAttribute, type SessionSettings } from './sessions';
import type { MessageKey } from '$lib/i18n';
import { msg } from './forms';

export const participantSchema = z.object({
	name: z.string().trim().min(1).max(120),
	email: z.union([z.literal(''), z.string().trim().max(254).pipe(z.email())]).default(''),
	organisation: z.string().trim().max(200).default(''),
	actorType: z.union([z.literal(''), z.enum(ACTOR_TYPES)]).default(''),
	scale: z.union([z.literal(''), z.enum(SCALES)]).default(''),
	directorate: z.string().trim().max(200).default('')
});

/** Ticked boxes of one name (read with `arrays` by parseForm). */
const ticked = z.array(z.string()).default([]);
export const addMembersSchema = z.object({ member: ticked });
export const addReferentsSchema = z.object({ referent: ticked });
/** One participant; for the links, none means all of them. */
export const participantIdSchema = z.object({ participantId: z.string().default('') });

const ATTRIBUTE_KINDS = ['catégorie', 'categorie', 'categorical', 'nombre', 'numeric', 'number'];

/** The lab's own attributes, `Libellé ; catégorie` or `Libellé ; nombre` per line (the kind defaults to catégorie). */
export function parseAttributeLines(
	text: string
): { ok: true; rows: { label: string; kind: SessionAttribute['kind'] }[] } | { ok: false; line: number; key: MessageKey } {
	const rows: { label: string; kind: SessionAttribute['kind'] }[] = [];
	for (const [i, raw] of text.split(/\r?\n/).entries()) {
		const line = raw.trim();
		if (!line) continue;
		const [label = '', kind = 'catégorie'] = line.split(';').map((s) => s.trim());
		const k = kind.toLowerCase();
		if (!label || label.length > 60 || !ATTRIBUTE_KINDS.includes(k)) return { ok: false, line: i + 1, key: 'session.attributeLine' };
		rows.push({ label, kind: k.startsWith('n') ? 'numeric' : 'categorical' });
	}
	return { ok: true, rows };
}

export const attributesSchema = z.object({ attributes: lines(parseAttributeLines) });

/** A whole number typed in a field, `fallback` when the field is not sent; `key` when it is not one in [min, max]. */
const wholeNumber = (min: number, max: number, key: MessageKey, fallback?: string) =>
	z
		.string()
		.optional()
		.transform((v, ctx) => {
			const n = Number(v ?? fallback);
			if (Number.isInteger(n) && n >= min && n <= max) return n;
			ctx.addIssue({ code: 'custom', message: key });
			return z.NEVER;
		});

const exactSizes = z
	.string()
	.default('')
	.transform((v, ctx) => {
		const sizes = v
			.split(/[\s,;]+/)
			.filter(Boolean)
			.map(Number);
		if (sizes.length && sizes.every((x) => Number.isInteger(x) && x >= 1 && x <= 500)) return sizes;
		ctx.addIssue({ code: 'custom', message: msg('session.sizesInvalid') });
		return z.NEVER;
	});

const SIZE_FIELDS = {
	groups: wholeNumber(1, 200, 'session.groupsInvalid'),
	size: wholeNumber(2, 500, 'session.sizeInvalid'),
	sizes: exactSizes
};

/** Only the field of the chosen sizing mode is read (any other mode is "a number of groups"). */
function readSizing(v: { mode: string; groups?: string; size?: string; sizes?: string }, ctx: z.RefinementCtx): SessionSettings['sizing'] | null {
	const field = v.mode === 'size' ? 'size' : v.mode === 'exact' ? 'sizes' : 'groups';
	const r = SIZE_FIELDS[field].safeParse(v[field]);
	if (!r.success) {
		for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [field] });
		return null;
	}
	if (field === 'size') return { mode: 'size', size: r.data as number };
	if (field === 'sizes') return { mode: 'exact', sizes: r.data as number[] };
	return { mode: 'groups', groups: r.data as number };
}

/**
 * The settings form of one session: a weight per attribute (`w-<key>`), the sizing, the time
 * the solver may take, constraints typed by participants' names, and the facilitators (only
 * the session's candidates are kept).
 */
export function settingsSchema(session: {
	attributes: readonly { key: string }[];
	participants: readonly { id: string; name: string }[];
	candidates: readonly { referentId: string }[];
}) {
	const weightFields = Object.fromEntries(session.attributes.map((a) => [`w-${a.key}`, wholeNumber(0, 5, 'session.weightInvalid', '0')]));
	return z
		.object({
			...weightFields,
			mode: z.string().default('groups'),
			groups: z.string().optional(),
			size: z.string().optional(),
			sizes: z.string().optional(),
			seconds: wholeNumber(1, 30, 'session.secondsInvalid', '2'),
			together: z.string().default(''),
			apart: z.string().default(''),
			pinned: z.string().default(''),
			facilitator: ticked
		})
		.transform((v, ctx): SessionSettings => {
			const sizing = readSizing(v, ctx);
			const c = parseConstraintLines({ together: v.together, apart: v.apart, pinned: v.pinned }, [...session.participants]);
			if (!c.ok) ctx.addIssue({ code: 'custom', message: c.key, params: { line: c.line, name: c.name ?? '' }, path: [c.field] });
			if (!sizing || !c.ok) return z.NEVER;
			const weights = v as Record<string, unknown>;
			return {
				weights: Object.fromEntries(session.attributes.map((a) => [a.key, weights[`w-${a.key}`] as number])),
				sizing,
				together: c.together,
				apart: c.apart,
				pinned: c.pinned,
				facilitators: v.facilitator.filter((id) => session.candidates.some((x) => x.referentId === id)),
				seconds: v.seconds
			};
		});
}

/** What a group produced, one title (with a knowledge type and a text) per group; blank titles are skipped. */
export const outputsFormSchema = z.record(z.string(), z.unknown()).transform((form, ctx) => {
	const outputs: { groupIndex: number; type: KnowledgeType; title: string; body: string }[] = [];
	for (let g = 0; g < 200 && form[`title-${g}`] !== undefined; g++) {
		const title = String(form[`title-${g}`]).trim();
		if (!title) continue;
		const type = String(form[`type-${g}`] ?? 'lesson');
		if (!(KNOWLEDGE_TYPES as readonly string[]).includes(type) || title.length > 200) {
			ctx.addIssue({ code: 'custom', message: msg('form.invalid'), path: [title.length > 200 ? `title-${g}` : `type-${g}`] });
			return z.NEVER;
		}
		outputs.push({ groupIndex: g, type: type as KnowledgeType, title, body: String(form[`body-${g}`] ?? '').slice(0, 20_000) });
	}
	if (!outputs.length) {
		ctx.addIssue({ code: 'custom', message: msg('session.outputsEmpty') });
		return z.NEVER;
	}
	return outputs;
});

const planSchema = z.object({
	assignment: z.record(z.string(), z.number().int().min(0).max(1000)),
	facilitators: z.array(z.object({ groupIndex: z.number().int().min(0), referentId: z.string(), role: z.enum(['lead', 'second']) })).max(1000),
	source: z.enum(['solver', 'manual']),
	baseVersion: z.number().int().min(0)
});

/** The groups to save, sent by the page as JSON in one field; anything unexpected is "invalid". */
export const savePlanSchema = z.object({
	plan: z
		.string()
		.default('')
		.transform((text, ctx) => {
			let json: unknown = null;
			try {
				json = JSON.parse(text);
			} catch {
				// Not JSON: refused below like any other shape.
			}
			const r = planSchema.safeParse(json);
			if (r.success) return r.data;
			ctx.addIssue({ code: 'custom', message: msg('form.invalid') });
			return z.NEVER;
		})
});
