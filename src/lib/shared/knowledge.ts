import type { MessageKey } from '$lib/i18n';
export const KNOWLEDGE_TYPES = ['principle', 'method', 'operating_form', 'mobilisation_idea', 'lesson'] as const;
export type KnowledgeType = (typeof KNOWLEDGE_TYPES)[number];
export const VISIBILITIES = ['lab', 'partners', 'public'] as const;
export type VisibilityLevel = (typeof VISIBILITIES)[number];

/** Tags typed as "a, b; c" → ["a", "b", "c"]: trimmed, lower-case, unique, at most 20. */
export function parseTags(raw: string): string[] {
	return [
		...new Set(
			raw
				.split(/[,;]/)
				.map((t) => t.trim().toLowerCase().replace(/\s+/g, '-'))
				.filter((t) => t.length > 0 && t.length <= 40)
		)
	].slice(0, 20);
}

const TYPE_WORDS: Record<string, KnowledgeType> = {
	principe: 'principle',
	principle: 'principle',
	methode: 'method',
	method: 'method',
	forme: 'operating_form',
	'forme de fonctionnement': 'operating_form',
	'operating form': 'operating_form',
	idee: 'mobilisation_idea',
	'idee de mobilisation': 'mobilisation_idea',
	'mobilisation idea': 'mobilisation_idea',
	lecon: 'lesson',
	lesson: 'lesson'
};

/** "type ; titre ; texte" per line — the outputs of a workshop to turn into knowledge items. */
export function parseOutputs(
	text: string
): { ok: true; rows: { type: KnowledgeType; title: string; body: string }[] } | { ok: false; line: number; key: MessageKey } {
	const rows: { type: KnowledgeType; title: string; body: string }[] = [];
	const lines = text.split(/\r?\n/);
	for (let i = 0; i < lines.length; i++) {
		const raw = lines[i]!.trim();
		if (!raw) continue;
		const [type = '', title = '', ...rest] = raw.split(';').map((p) => p.trim());
		const t = TYPE_WORDS[type.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()];
		if (!t) return { ok: false, line: i + 1, key: 'event.badOutputType' };
		if (!title || title.length > 200) return { ok: false, line: i + 1, key: 'event.badOutputTitle' };
		rows.push({ type: t, title, body: rest.join(';').trim() });
	}
	if (rows.length === 0) return { ok: false, line: 1, key: 'event.outputsEmpty' };
	if (rows.length > 50) return { ok: false, line: 51, key: 'event.tooManyLines' };
	return { ok: true, rows };
}
