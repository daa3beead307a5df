import { describe, expect, it } from 'vitest';
import { isoToParis, parisToIso } from './time';
import { parseDecisions, parseParticipants } from './events';

describe('Paris wall-clock times', () => {
	it('converts winter and summer times both ways', () => {
		expect(parisToIso('2014-02-06T14:00')).toBe('2014-02-06T13:00:00.000Z');
		expect(parisToIso('2013-07-02T09:30')).toBe('2013-07-02T07:30:00.000Z');
		expect(isoToParis('2014-02-06T13:00:00.000Z')).toBe('2014-02-06T14:00');
		expect(isoToParis('2013-07-02T07:30:00.000Z')).toBe('2013-07-02T09:30');
	});
});

describe('event lines', () => {
	it('reads participants with optional organisation and role (French or English words)', () => {
		expect(parseParticipants('Léa ; Région ; animatrice ; présente\n\nMarc\nZoé;;observer;absent')).toEqual({
			ok: true,
			rows: [
				{ name: 'Léa', organisation: 'Région', role: 'facilitator', attended: true },
				{ name: 'Marc', organisation: '', role: 'participant', attended: null },
				{ name: 'Zoé', organisation: '', role: 'observer', attended: false }
			]
		});
		expect(parseParticipants('Léa ; Région ; chef')).toEqual({ ok: false, line: 1, key: 'event.badRole' });
		expect(parseParticipants('Léa ; Région ; animatrice ; peut-être')).toEqual({ ok: false, line: 1, key: 'event.badAttendance' });
	});

	it('reads decisions and points at the line with a bad date', () => {
		expect(parseDecisions('Estimer la charge ; Camille ; 2014-03-01')).toEqual({
			ok: true,
			rows: [{ text: 'Estimer la charge', owner: 'Camille', dueOn: '2014-03-01' }]
		});
		expect(parseDecisions('A\nB ; x ; 2014-02-30')).toEqual({ ok: false, line: 2, key: 'event.badDueDate' });
	});
});
