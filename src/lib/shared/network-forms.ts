/**
 * The referent profile form, shared by the invitation page (an agent joining through their
 * link) and the member page (a member joining or editing their profile). The fields are
 * rendered by `$lib/components/network/ProfileFields.svelte`.
 */
import { z } from 'zod';
import { TERRITORIES } from './network';
import { isIsoDay } from './events';
import { issuesToErrors, msg, type FieldErrors } from './forms';
import type { MessageKey } from '$lib/i18n';

/** An unavailable period, both days included (YYYY-MM-DD). */
export interface PeriodLine {
	from: string;
	to: string;
}

export const MAX_PERIODS = 100;

/**
 * "AAAA-MM-JJ ; AAAA-MM-JJ" per line (a single day is also accepted); blank lines are skipped.
 * The first bad line is reported with its number.
 */
export function parseUnavailable(text: string): { ok: true; rows: PeriodLine[] } | { ok: false; line: number; key: MessageKey } {
	const rows: PeriodLine[] = [];
	const lines = text.split(/\r\n|\r|\n/);
	for (let i = 0; i < lines.length; i++) {
		const raw = lines[i]!.trim();
		if (!raw) continue;
		const parts = raw.split(/\s*(?:;|,|→|\bau\b|\bto\b)\s*/i).filter(Boolean);
		if (parts.length < 1 || parts.length > 2) return { ok: false, line: i + 1, key: 'network.profile.badPeriod' };
		const from = parts[0]!;
		const to = parts[1] ?? from;
		if (!isIsoDay(from) || !isIsoDay(to)) return { ok: false, line: i + 1, key: 'network.profile.badPeriod' };
		if (to < from) return { ok: false, line: i + 1, key: 'network.profile.periodReversed' };
		rows.push({ from, to });
	}
	if (rows.length > MAX_PERIODS) return { ok: false, line: MAX_PERIODS + 1, key: 'network.profile.tooManyPeriods' };
	return { ok: true, rows };
}

/** Periods back into the textarea's text, one per line. */
export const periodsToText = (rows: readonly PeriodLine[]): string => rows.map((p) => (p.from === p.to ? p.from : `${p.from} ; ${p.to}`)).join('\n');

const optional = (max: number) => z.string().trim().max(max).default('');

export const profileSchema = z.object({
	directorate: optional(200),
	service: optional(200),
	territory: z.enum(TERRITORIES),
	/** Skill ids of the lab (checked against the lab's list by the service). */
	skills: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
	languages: optional(200),
	daysPerMonth: z
		.string()
		.trim()
		.max(10)
		.default('')
		.transform((v, ctx) => {
			if (v === '') return 1;
			const n = Number(v);
			if (!/^\d+$/.test(v) || n > 31) {
				ctx.addIssue({ code: 'custom', message: msg('network.profile.daysInvalid') });
				return z.NEVER;
			}
			return n;
		}),
	bio: optional(2000),
	unavailable: z
		.string()
		.max(10_000)
		.default('')
		.transform((v, ctx) => {
			const r = parseUnavailable(v);
			if (r.ok) return r.rows;
			ctx.addIssue({ code: 'custom', message: r.key, params: { line: r.line } });
			return z.NEVER;
		})
});

export type ProfileForm = z.output<typeof profileSchema>;

const FIELDS = ['directorate', 'service', 'territory', 'languages', 'daysPerMonth', 'bio', 'unavailable'] as const;

/**
 * The form's values as strings, to send back with errors: checked skills are joined with
 * commas (ids contain none), which is what ProfileFields reads.
 */
export function profileFormValues(form: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const k of FIELDS) {
		const v = form.get(k);
		if (typeof v === 'string') out[k] = v;
	}
	out.skills = form
		.getAll('skills')
		.filter((v): v is string => typeof v === 'string')
		.join(',');
	return out;
}

/** Reads the profile fields of a submitted form (several `skills` checkboxes included). */
export function parseProfileForm(
	form: FormData
): { ok: true; data: ProfileForm; values: Record<string, string> } | { ok: false; errors: FieldErrors; values: Record<string, string> } {
	const values = profileFormValues(form);
	const raw: Record<string, unknown> = {};
	for (const k of FIELDS) {
		const v = form.get(k);
		if (typeof v === 'string') raw[k] = v;
	}
	raw.skills = form.getAll('skills').filter((v) => typeof v === 'string');
	const parsed = profileSchema.safeParse(raw);
	if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error.issues), values };
	return { ok: true, data: parsed.data, values };
}

/** A stored profile as the form's string values (for prefilling). */
export function profileToValues(p: {
	directorate?: string;
	service?: string;
	territory?: string | null;
	skills?: readonly string[];
	languages?: string;
	daysPerMonth?: number;
	bio?: string;
	unavailable?: readonly PeriodLine[];
}): Record<string, string> {
	return {
		directorate: p.directorate ?? '',
		service: p.service ?? '',
		territory: p.territory ?? '',
		skills: (p.skills ?? []).join(','),
		languages: p.languages ?? '',
		daysPerMonth: String(p.daysPerMonth ?? 1),
		bio: p.bio ?? '',
		unavailable: periodsToText(p.unavailable ?? [])
	};
}
