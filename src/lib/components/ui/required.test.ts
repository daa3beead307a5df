/**
 * A required field says so beside its label ("(obligatoire)"), like an optional one says
 * "(facultatif)", and carries the `required` attribute; the decision reason is one of them.
 */
import { readFileSync } from 'node:fs';
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import Field from './Field.svelte';
import TextArea from './TextArea.svelte';

vi.mock('$app/state', () => ({ page: { data: { locale: 'fr' } } }));

describe('required fields', () => {
	it('are marked in their label and required in the browser', () => {
		const area = render(TextArea, { props: { name: 'reason', label: 'Motif', required: true } }).body;
		// As shown: "Motif (obligatoire)". The marker stands beside the label, hidden from screen
		// readers (which announce the required attribute): the label itself names the field.
		const line = /<span class="label-line">([\s\S]*?)<\/span><!--\]--><\/span>/.exec(area)![1]!;
		expect(line.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, '')).toBe('Motif (obligatoire)');
		expect(/<label[^>]*>([\s\S]*?)<\/label>/.exec(area)![1]!.replace(/<!--[\s\S]*?-->/g, '')).toBe('Motif');
		expect(area).toContain('<span class="required-mark" aria-hidden="true">(obligatoire)</span>');
		expect(area).toMatch(/<textarea[^>]*required/);
		const field = render(Field, { props: { name: 'title', label: 'Titre', required: true } }).body;
		expect(field).toContain('(obligatoire)');
		expect(render(TextArea, { props: { name: 'x', label: 'Note' } }).body).not.toContain('obligatoire');
	});

	it('include the reason of a funding decision', () => {
		const page = readFileSync(new URL('../../../routes/l/[lab]/fund/requests/[id]/+page.svelte', import.meta.url), 'utf8');
		expect(page).toMatch(/<TextArea name="reason" label=\{t\('fund\.reason'\)\} required /);
	});
});
