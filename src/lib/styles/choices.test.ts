/**
 * Radio buttons and checkboxes sit on the line of their text, the box first: one rule of the
 * global stylesheet, used by every form that offers a choice, and the boxes lose the sizing of
 * text fields that pushed them above and to the left of their text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('./app.css', import.meta.url), 'utf8');
const route = (p: string) => readFileSync(new URL(`../../routes/l/[lab]/${p}/+page.svelte`, import.meta.url), 'utf8');
/** The group settings live in their own component since the groups page was split. */
const groupSettings = () => readFileSync(new URL('../components/sessions/SettingsForm.svelte', import.meta.url), 'utf8');
const source = (page: string) => (page === 'events/[id]/groups' ? groupSettings() : route(page));

/** The declarations of the first rule whose selector list holds `selector`. */
function declarations(selector: string): Record<string, string> {
	for (const m of css.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
		const selectors = m[1]!
			.replace(/\/\*[\s\S]*?\*\//g, '')
			.split(',')
			.map((s) => s.trim());
		if (!selectors.includes(selector)) continue;
		return Object.fromEntries(
			m[2]!
				.split(';')
				.map((d) => d.split(':').map((x) => x.trim()))
				.filter((d) => d.length === 2 && d[0])
				.map(([k, v]) => [k!, v!])
		);
	}
	return {};
}

describe('choices (radio, checkbox)', () => {
	it('lay out inline, box then text, aligned on one line', () => {
		expect(declarations('label.radio')).toMatchObject({ display: 'inline-flex', 'align-items': 'center' });
		for (const sel of ["input[type='radio']", "input[type='checkbox']"])
			expect(declarations(sel), sel).toMatchObject({ 'min-height': '0', padding: '0', margin: '0' });
	});

	it('use that rule in moderation, request decisions, call answers and group settings', () => {
		for (const page of ['journal/moderation', 'fund/requests/[id]', 'network/answer/[token]', 'events/[id]/groups']) {
			const src = source(page);
			const radios = [...src.matchAll(/<input[^>]*type="radio"[^>]*>/g)];
			expect(radios.length, page).toBeGreaterThan(0);
			// Every radio is the first thing of a <label class="radio">, its text after it (however the
			// formatter breaks the label's tag).
			for (const r of radios) expect(src.slice(Math.max(0, r.index! - 80), r.index), page).toMatch(/<label\s+class="radio"\s*>\s*$/);
		}
	});

	it('show only the field of the chosen sizing mode once the page is interactive', () => {
		const src = groupSettings();
		for (const m of ['groups', 'size', 'exact']) expect(src).toContain(`data-mode="${m}" hidden={interactive && shownMode !== '${m}'}`);
	});
});
