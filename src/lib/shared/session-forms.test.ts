import { describe, expect, it } from 'vitest';
import { issuesToErrors } from './forms';
import { addMembersSchema, attributesSchema, outputsFormSchema, participantIdSchema, participantSchema, savePlanSchema, settingsSchema } from './session-forms';
import type { z } from 'zod';

/** The field errors a schema gives for a form, as parseForm reports them. */
function errorsOf(schema: z.ZodType, form: Record<string, unknown>) {
	const r = schema.safeParse(form);
	expect(r.success).toBe(false);
	return issuesToErrors(r.success ? [] : r.error.issues, form);
}

const session = {
	attributes: [{ key: 'organisation' }, { key: 'actorType' }],
	participants: [
		{ id: 'p1', name: 'Aline Exemple' },
		{ id: 'p2', name: 'Bruno Exemple' },
		{ id: 'p3', name: 'Carole Exemple' }
	],
	candidates: [{ referentId: 'r1' }, { referentId: 'r2' }]
};
const settingsForm = {
	formId: 'settings',
	'w-organisation': '2',
	'w-actorType': '5',
	mode: 'groups',
	groups: '3',
	size: '8',
	sizes: '',
	seconds: '4',
	together: 'Aline Exemple + bruno exemple',
	apart: 'Aline Exemple / Carole Exemple',
	pinned: 'Carole Exemple = 2',
	facilitator: ['r2', 'somebody-else']
};

describe('the settings form', () => {
	const schema = settingsSchema(session);

	it('reads a valid form into settings, keeping only the session’s candidates', () => {
		expect(schema.parse(settingsForm)).toEqual({
			weights: { organisation: 2, actorType: 5 },
			sizing: { mode: 'groups', groups: 3 },
			together: [['p1', 'p2']],
			apart: [['p1', 'p3']],
			pinned: { p3: 1 },
			facilitators: ['r2'],
			seconds: 4
		});
	});

	it('reads the field of the chosen sizing mode only', () => {
		expect(schema.parse({ ...settingsForm, mode: 'size', groups: 'x' }).sizing).toEqual({ mode: 'size', size: 8 });
		expect(schema.parse({ ...settingsForm, mode: 'exact', groups: '', sizes: '4; 5, 6' }).sizing).toEqual({ mode: 'exact', sizes: [4, 5, 6] });
		expect(schema.parse({ ...settingsForm, mode: 'anything' }).sizing).toEqual({ mode: 'groups', groups: 3 });
	});

	it('defaults an unsent weight to 0 and unsent seconds to 2', () => {
		const { 'w-actorType': _w, seconds: _s, ...rest } = settingsForm;
		const r = schema.parse(rest);
		expect(r.weights.actorType).toBe(0);
		expect(r.seconds).toBe(2);
	});

	it.each([
		[{ 'w-actorType': '6' }, 'w-actorType', 'session.weightInvalid'],
		[{ 'w-organisation': '1.5' }, 'w-organisation', 'session.weightInvalid'],
		[{ groups: '0' }, 'groups', 'session.groupsInvalid'],
		[{ groups: '201' }, 'groups', 'session.groupsInvalid'],
		[{ mode: 'size', size: '1' }, 'size', 'session.sizeInvalid'],
		[{ mode: 'exact', sizes: '4, x' }, 'sizes', 'session.sizesInvalid'],
		[{ mode: 'exact', sizes: '' }, 'sizes', 'session.sizesInvalid'],
		[{ seconds: '31' }, 'seconds', 'session.secondsInvalid'],
		[{ seconds: '' }, 'seconds', 'session.secondsInvalid'],
		[{ together: 'Aline Exemple' }, 'together', 'session.constraint.togetherFormat'],
		[{ pinned: 'Aline Exemple = 0' }, 'pinned', 'session.constraint.pinnedFormat']
	])('refuses %o on its field', (change, field, key) => {
		const errors = errorsOf(schema, { ...settingsForm, ...change });
		expect(Object.keys(errors)).toEqual([field]);
		expect(errors[field]!.key).toBe(key);
	});

	it('names the unknown participant and the line of a constraint', () => {
		expect(errorsOf(schema, { ...settingsForm, apart: 'Aline Exemple / Carole Exemple\nZoé / Aline Exemple' })).toEqual({
			apart: { key: 'session.constraint.unknownName', params: { line: 2, name: 'Zoé' } }
		});
	});
});

describe('the lab’s attributes', () => {
	it('reads one attribute per line, catégorie by default', () => {
		expect(attributesSchema.parse({ attributes: 'Âge ; nombre\n\nCommune\nSecteur ; categorical' }).attributes).toEqual([
			{ label: 'Âge', kind: 'numeric' },
			{ label: 'Commune', kind: 'categorical' },
			{ label: 'Secteur', kind: 'categorical' }
		]);
		expect(attributesSchema.parse({}).attributes).toEqual([]);
	});
	it.each([
		['Commune\nÂge ; couleur', 2],
		[' ; nombre', 1],
		['x'.repeat(61), 1]
	])('points at the bad line of %j', (attributes, line) => {
		expect(errorsOf(attributesSchema, { attributes })).toEqual({ attributes: { key: 'session.attributeLine', params: { line } } });
	});
});

describe('a participant added by hand', () => {
	it('needs a name, a valid e-mail if any, and known types', () => {
		expect(participantSchema.parse({ name: ' Aline ', email: '', actorType: 'public', scale: '' })).toMatchObject({
			name: 'Aline',
			actorType: 'public',
			scale: ''
		});
		expect(errorsOf(participantSchema, { name: '  ' }).name!.key).toBe('form.required');
		expect(errorsOf(participantSchema, { name: 'A', email: 'nope' }).email!.key).toBe('form.invalidEmail');
		expect(errorsOf(participantSchema, { name: 'A', actorType: 'alien' }).actorType!.key).toBe('form.invalid');
		expect(errorsOf(participantSchema, { name: 'A', scale: 'planet' }).scale!.key).toBe('form.invalid');
	});
	it('reads ticked boxes and an optional participant', () => {
		expect(addMembersSchema.parse({ member: ['a', 'b'] }).member).toEqual(['a', 'b']);
		expect(addMembersSchema.parse({}).member).toEqual([]);
		expect(participantIdSchema.parse({}).participantId).toBe('');
	});
});

describe('the outputs of the groups', () => {
	it('keeps the titled groups, up to the first group not sent', () => {
		const form = {
			formId: 'outputs',
			'title-0': ' Leçon ',
			'type-0': 'lesson',
			'body-0': 'Texte',
			'title-1': '',
			'title-2': 'Méthode',
			'type-2': 'method',
			'title-4': 'Ignorée'
		};
		expect(outputsFormSchema.parse(form)).toEqual([
			{ groupIndex: 0, type: 'lesson', title: 'Leçon', body: 'Texte' },
			{ groupIndex: 2, type: 'method', title: 'Méthode', body: '' }
		]);
	});
	it('refuses no title at all, an unknown type and a long title', () => {
		expect(errorsOf(outputsFormSchema, { formId: 'outputs', 'title-0': ' ' })).toEqual({ _form: { key: 'session.outputsEmpty' } });
		expect(errorsOf(outputsFormSchema, { 'title-0': 'A', 'type-0': 'poem' })).toEqual({ 'type-0': { key: 'form.invalid' } });
		expect(errorsOf(outputsFormSchema, { 'title-0': 'x'.repeat(201) })).toEqual({ 'title-0': { key: 'form.invalid' } });
	});
});

describe('the plan to save', () => {
	const plan = { assignment: { p1: 0, p2: 1 }, facilitators: [{ groupIndex: 0, referentId: 'r1', role: 'lead' }], source: 'manual', baseVersion: 2 };
	it('reads the JSON of the plan', () => {
		expect(savePlanSchema.parse({ plan: JSON.stringify(plan) }).plan).toEqual(plan);
	});
	it.each([[''], ['{not json'], [JSON.stringify({ ...plan, source: 'guess' })], [JSON.stringify({ ...plan, assignment: { p1: -1 } })]])(
		'refuses %s as invalid',
		(text) => {
			expect(errorsOf(savePlanSchema, { plan: text })).toEqual({ plan: { key: 'form.invalid' } });
		}
	);
});
