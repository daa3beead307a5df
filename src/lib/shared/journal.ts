/** The journal's vocabulary, shared by server and pages. */

export const POST_KINDS = ['post', 'page'] as const;
export type PostKind = (typeof POST_KINDS)[number];
export const POST_STATES = ['draft', 'scheduled', 'published', 'unpublished'] as const;
export type PostState = (typeof POST_STATES)[number];

/**
 * A sortable key for an episode number: "9.2" → "000009.000002", so 9.10 comes after 9.2 and
 * 10 after 9. Letters are kept (lower case) after the numbers they follow.
 */
export function episodeSort(episode: string): string {
	if (!episode.trim()) return '';
	return episode
		.trim()
		.toLowerCase()
		.split(/[.-]/)
		.map((part) => {
			const m = /^(\d*)(.*)$/.exec(part)!;
			return (m[1] ? m[1].padStart(6, '0') : '      ') + m[2];
		})
		.join('.');
}

/** An address-friendly slug: lower case, no accents, words joined by hyphens. */
export function slugify(s: string): string {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/œ/g, 'oe')
		.replace(/æ/g, 'ae')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 80)
		.replace(/-+$/, '');
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The title without a leading "<series> <episode> :" (or "—", "-") when it repeats the series
 * and episode fields, which the journal puts before the title itself: typing "Semaine 10.1 :
 * Bilan" with series "Semaine" and episode "10.1" keeps "Bilan".
 */
export function stripSeriesPrefix(title: string, series: string, episode: string): string {
	const s = series.trim();
	const e = episode.trim();
	if (!s || !e) return title;
	const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
	let out = title.trim();
	// Repeated prefixes ("Semaine 10.1 : Semaine 10.1 : Bilan") go too.
	const re = new RegExp(`^${esc(s)}\\s*${esc(e)}\\s*[:—–-]\\s*`, 'iu');
	while (re.test(out)) {
		const next = out.replace(re, '').trim();
		if (!next) break;
		out = next;
	}
	return out;
}

/** "Semaine 9.2 : Titre" as the seed shows it. */
export const displayTitle = (p: { series: string; episode: string; title: string }): string =>
	p.series && p.episode ? `${p.series} ${p.episode} : ${p.title}` : p.title;

import { z } from 'zod';
import { parseTags } from './knowledge';
import { msg } from './forms';

export const postSchema = z.object({
	kind: z.enum(POST_KINDS).default('post'),
	title: z.string().trim().min(1).max(200),
	slug: z
		.string()
		.trim()
		.max(80)
		.default('')
		.refine((v) => v === '' || SLUG_PATTERN.test(v), { message: msg('journal.slugInvalid') }),
	series: z.string().trim().max(60).default(''),
	episode: z.string().trim().max(20).default(''),
	excerpt: z.string().trim().max(500).default(''),
	body: z.string().max(200_000).default(''),
	tags: z
		.string()
		.max(1000)
		.default('')
		.transform((v) => parseTags(v)),
	byLab: z.literal('on').optional(),
	commentsOpen: z.literal('on').optional(),
	coverFileId: z.union([z.literal(''), z.string().uuid()]).default('')
});
