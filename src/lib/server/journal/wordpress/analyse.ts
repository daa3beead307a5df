/**
 * What a WordPress import would do, read without writing anything: the counts and a sample of
 * the posts for the preview page and `--dry-run`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { authorize } from '../../policy';
import type { LabContext } from '../../labs';
import { type WxrSite, type WxrState, type WxrVersion, splitEpisodeTitle } from './wxr';
import { type ImportProblem, authorFor, existingPosts, isImportable, memberIndex, sourceRef } from './import';

/** What an import would do, read without writing anything: for the preview and --dry-run. */
export interface WxrAnalysis {
	site: { title: string; link: string; version: WxrVersion };
	counts: {
		posts: number;
		pages: number;
		comments: number;
		attachments: number;
		/** Items not imported: trash, other types (menus, revisions…). */
		skipped: number;
		/** Posts and pages already imported, left as they are. */
		unchanged: number;
		/** Comments already imported. */
		commentsUnchanged: number;
	};
	authors: { name: string; member: string | null }[];
	sample: {
		title: string;
		series: string;
		episode: string;
		kind: 'post' | 'page';
		state: WxrState;
		date: string | null;
		comments: number;
		unchanged: boolean;
	}[];
}

export const SAMPLE_SIZE = 20;

export async function analyseWxr(db: Kysely<Database>, ctx: LabContext, site: WxrSite): Promise<WxrAnalysis> {
	authorize(ctx.role, 'journal.import');
	const items = site.items.filter(isImportable);
	const existing = await existingPosts(
		db,
		ctx.lab.id,
		items.map((i) => sourceRef(i.id))
	);
	const members = await memberIndex(db, ctx.lab.id);
	const used = new Set(items.map((i) => i.creator).filter(Boolean));
	const authors = [...used].map((login) => {
		const a = authorFor(site, login, members)!;
		return { name: site.authors.find((x) => x.login === login)?.displayName || login, member: a.personId ? a.name : null };
	});
	const commentRefs = items.flatMap((i) => i.comments.filter((c) => c.state !== 'skip').map((c) => sourceRef(c.id)));
	let commentsUnchanged = 0;
	for (let k = 0; k < commentRefs.length; k += 500) {
		const part = commentRefs.slice(k, k + 500);
		const n = await db
			.selectFrom('comment')
			.where('lab_id', '=', ctx.lab.id)
			.where('source_ref', 'in', part)
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow();
		commentsUnchanged += Number(n.n);
	}
	const ignored = Object.values(site.ignored).reduce((s, n) => s + n, 0);
	const trashed = site.items.filter((i) => i.type !== 'attachment' && i.state === 'skip').length;
	return {
		site: { title: site.title, link: site.link, version: site.version },
		counts: {
			posts: items.filter((i) => i.type === 'post').length,
			pages: items.filter((i) => i.type === 'page').length,
			comments: items.reduce((s, i) => s + i.comments.filter((c) => c.state !== 'skip').length, 0),
			attachments: site.items.filter((i) => i.type === 'attachment').length,
			skipped: ignored + trashed,
			unchanged: items.filter((i) => existing.has(sourceRef(i.id))).length,
			commentsUnchanged
		},
		authors,
		sample: items.slice(0, SAMPLE_SIZE).map((i) => {
			const t = splitEpisodeTitle(i.title);
			return {
				title: t.title,
				series: t.series,
				episode: t.episode,
				kind: i.type as 'post' | 'page',
				state: i.state,
				date: i.date,
				comments: i.comments.filter((c) => c.state !== 'skip').length,
				unchanged: existing.has(sourceRef(i.id))
			};
		})
	};
}

const COUNT_LABELS: [string, string][] = [
	['posts', 'billets / posts'],
	['pages', 'pages / pages'],
	['comments', 'commentaires / comments'],
	['attachments', 'fichiers joints / attachments'],
	['images', 'images / images'],
	['redirects', 'redirections / redirects'],
	['skipped', 'ignorés / skipped'],
	['unchanged', 'inchangés / unchanged']
];

/** The counts of an import (or of a dry run) as the command line prints them, one per line. */
export function formatCounts(counts: object): string[] {
	const c = counts as Record<string, unknown>;
	return COUNT_LABELS.filter(([k]) => typeof c[k] === 'number').map(([k, label]) => `${label}: ${c[k] as number}`);
}

/** What a dry run prints: what the file holds, and how much of it is already in the journal. */
export function dryRunCounts(a: WxrAnalysis): Omit<WxrAnalysis['counts'], 'commentsUnchanged'> & { problems: ImportProblem[] } {
	const { commentsUnchanged, ...counts } = a.counts;
	return { ...counts, unchanged: counts.unchanged + commentsUnchanged, problems: [] };
}
