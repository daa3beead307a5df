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
