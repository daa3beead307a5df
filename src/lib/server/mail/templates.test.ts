import { describe, expect, it } from 'vitest';
import { networkMails } from './templates';

const halves = (text: string) => {
	const i = text.indexOf('\n—\n');
	return [text.slice(0, i), text.slice(i)] as const;
};

describe('referent network mails', () => {
	const base = { name: 'Alice Exemple', labName: 'Labo PACA', event: 'Séminaire', place: 'Marseille' };

	it('writes the call’s dates in French in the French half and in English in the English half', () => {
		const m = networkMails.call({
			...base,
			startsAt: '2014-02-06T13:30:00.000Z',
			deadline: '2014-01-30T22:59:59.000Z',
			message: '',
			yes: 'y',
			maybe: 'm',
			no: 'n',
			manageUrl: 'u'
		});
		const [fr, en] = halves(m.text);
		expect(fr).toContain('le 6 février 2014 à 14:30');
		expect(fr).toContain('avant le 30 janvier 2014');
		expect(en).toContain('on 6 February 2014');
		expect(en).toContain('before 30 January 2014');
		expect(en).not.toMatch(/février|janvier/);
		expect(m.subject).toBe('Appel à référent·es : « Séminaire », 6 février 2014 à 14:30 / Call for referents: "Séminaire", 6 February 2014 at 14:30');
	});

	it('keeps each language whole in the confirmation, release and reminder', () => {
		const startsAt = '2014-02-06T13:30:00.000Z';
		for (const m of [
			networkMails.assigned({ ...base, startsAt, role: 'animateur·rice', roleEn: 'facilitator', partner: null, manageUrl: 'u' }),
			networkMails.released({ ...base, startsAt }),
			networkMails.reminder({ ...base, startsAt, role: 'animateur·rice', roleEn: 'facilitator' })
		]) {
			const [fr, en] = halves(m.text);
			expect(fr).toContain('6 février 2014');
			expect(en).toContain('6 February 2014');
			expect(en).not.toContain('février');
			const [sFr, sEn] = m.subject.split(' / ');
			expect(sFr).toContain('6 février 2014');
			expect(sEn).toContain('6 February 2014');
		}
	});
});
