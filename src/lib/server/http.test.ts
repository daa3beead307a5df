import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseForm } from './http';

const post = (entries: [string, string][]) => {
	const body = new FormData();
	for (const [k, v] of entries) body.append(k, v);
	return { request: new Request('http://labo.test/', { method: 'POST', body }) } as unknown as RequestEvent;
};
const schema = z.object({ name: z.string().trim().min(1), tag: z.array(z.string()).default([]), n: z.coerce.number().int().max(3) });

describe('parseForm', () => {
	it('reads the fields named in `arrays` as lists, the others as their last value', async () => {
		const r = await parseForm(
			post([
				['name', 'A'],
				['tag', 'x'],
				['tag', 'y'],
				['n', '2']
			]),
			schema,
			{ arrays: ['tag'] }
		);
		expect(r.ok && r.data).toEqual({ name: 'A', tag: ['x', 'y'], n: 2 });
	});

	it('sums the errors up by default, or gives the first one when asked', async () => {
		const form: [string, string][] = [
			['formId', 'f'],
			['name', ' '],
			['n', '9']
		];
		const count = await parseForm(post(form), schema);
		const first = await parseForm(post(form), schema, { message: 'first' });
		if (count.ok || first.ok) throw new Error('should fail');
		expect(count.failure.data.message).toEqual({ key: 'form.errors', params: { count: 2 } });
		expect(first.failure.data.message).toEqual({ key: 'form.required' });
		expect(first.failure.data.values).toEqual({ formId: 'f', name: ' ', n: '9' });
		expect(Object.keys(first.failure.data.errors)).toEqual(['name', 'n']);
	});
});
