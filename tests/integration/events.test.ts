import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember } from '../factories';
import {
	cancelEvent,
	createEvent,
	createOutputs,
	deleteEvent,
	getEvent,
	listEvents,
	reinstateEvent,
	upcomingEventChoices,
	updateEvent,
	type EventInput
} from '../../src/lib/server/events/events.service';
import { checkCalendarToken, issueCalendarToken, toICalendar } from '../../src/lib/server/events/calendar';
import { readFile, storeFile } from '../../src/lib/server/files/files.service';
import { getKnowledge } from '../../src/lib/server/knowledge/knowledge.service';
import { search } from '../../src/lib/server/search/search.service';
import { resetEnvForTests } from '../../src/lib/server/env';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';

const workshop: EventInput = {
	kind: 'workshop',
	title: 'Atelier de mai 2013',
	startsAt: '2013-05-14T07:00:00.000Z',
	endsAt: '2013-05-14T15:00:00.000Z',
	place: 'Marseille, hôtel de Région',
	onlineUrl: '',
	description: 'Premier atelier du labo.',
	agenda: '1. Accueil\n2. Travail en groupes',
	minutes: 'Les groupes ont proposé des principes de fonctionnement.',
	participants: [
		{ name: 'Léa Exemple', organisation: 'Direction des Lycées', role: 'participant' },
		{ name: 'Yanis Exemple', organisation: 'Labo', role: 'facilitator' }
	],
	decisions: [{ text: 'Tester le scénario au lycée', owner: 'Camille', dueOn: '2013-09-01' }]
};

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-files-'));
const prevDataDir = process.env.DATA_DIR;

describeEachDialect('events', (getDb) => {
	let lab: LabSummary;
	let resident: LabContext;
	let partner: LabContext;
	let other: LabContext;

	beforeAll(async () => {
		process.env.DATA_DIR = dataDir;
		resetEnvForTests();
		lab = await makeLab(getDb());
		resident = (await makeMember(getDb(), lab, 'resident')).ctx;
		partner = (await makeMember(getDb(), lab, 'partner')).ctx;
		other = (await makeMember(getDb(), await makeLab(getDb()), 'coordinator')).ctx;
	});
	afterAll(() => {
		process.env.DATA_DIR = prevDataDir;
		resetEnvForTests();
	});

	it('records a workshop with participants and decisions, finds it by search', async () => {
		const id = await createEvent(getDb(), resident, workshop);
		const e = await getEvent(getDb(), resident, id);
		expect(e.participantList.map((p) => [p.name, p.role])).toEqual([
			['Léa Exemple', 'participant'],
			['Yanis Exemple', 'facilitator']
		]);
		expect(e.decisions).toEqual([expect.objectContaining({ text: 'Tester le scénario au lycée', dueOn: '2013-09-01' })]);
		expect(e.agendaHtml).toContain('<ol>');
		expect((await search(getDb(), resident, { q: 'lycees', types: ['event'] })).hits.map((h) => h.id)).toEqual([id]);
		expect((await listEvents(getDb(), resident, { kind: 'workshop' })).rows.map((r) => r.participants)).toEqual([2]);
	});

	it('links a participant who is a member of the lab to their person', async () => {
		const member = await makeMember(getDb(), lab, 'referent', { name: 'Zoé Référente' });
		const id = await createEvent(getDb(), resident, {
			...workshop,
			participants: [
				{ name: 'zoé référente', organisation: '', role: 'facilitator' },
				{ name: 'Externe', organisation: 'Mairie', role: 'participant' }
			]
		});
		const rows = await getDb().selectFrom('event_participant').where('event_id', '=', id).select(['name', 'person_id']).orderBy('position').execute();
		expect(rows).toEqual([
			{ name: 'zoé référente', person_id: member.personId },
			{ name: 'Externe', person_id: null }
		]);
		expect((await getEvent(getDb(), resident, id)).participantList.map((p) => p.member)).toEqual([true, false]);
	});

	it('refuses an end before the start, and changes nothing', async () => {
		await expect(createEvent(getDb(), resident, { ...workshop, endsAt: '2013-05-13T07:00:00.000Z' })).rejects.toMatchObject({
			code: 'event.endBeforeStart',
			field: 'endsAt'
		});
		const id = await createEvent(getDb(), resident, { ...workshop, title: 'À modifier' });
		await expect(updateEvent(getDb(), resident, id, { ...workshop, title: 'Cassé', endsAt: '2000-01-01T00:00:00.000Z' })).rejects.toMatchObject({
			status: 400
		});
		expect((await getEvent(getDb(), resident, id)).title).toBe('À modifier');
	});

	it('turns several outputs into knowledge items at once, all or nothing', async () => {
		const id = await createEvent(getDb(), resident, { ...workshop, title: 'Atelier de juillet' });
		const ids = await createOutputs(getDb(), resident, id, [
			{ type: 'principle', title: 'Associer les agents dès le cadrage', body: '' },
			{ type: 'mobilisation_idea', title: 'Des binômes de référents', body: 'à tester' }
		]);
		expect(ids).toHaveLength(2);
		const e = await getEvent(getDb(), resident, id);
		expect(e.outputs.map((o) => o.title)).toEqual(['Associer les agents dès le cadrage', 'Des binômes de référents']);
		expect((await getKnowledge(getDb(), resident, ids[0]!)).source).toEqual({ type: 'event', id, title: 'Atelier de juillet' });
		await expect(createOutputs(getDb(), other, id, [{ type: 'lesson', title: 'x', body: '' }])).rejects.toMatchObject({ status: 404 });
	});

	it('keeps events inside their lab and away from partners', async () => {
		const id = await createEvent(getDb(), resident, workshop);
		await expect(getEvent(getDb(), other, id)).rejects.toMatchObject({ status: 404 });
		await expect(updateEvent(getDb(), other, id, workshop)).rejects.toMatchObject({ status: 404 });
		await expect(getEvent(getDb(), partner, id)).rejects.toMatchObject({ status: 403 });
	});

	it('accepts attachments of allowed types and sizes only', async () => {
		const id = await createEvent(getDb(), resident, workshop);
		const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100, 32)]);
		const fileId = await storeFile(getDb(), resident, { type: 'event', id }, { name: 'compte-rendu.pdf', bytes: pdf });
		expect((await readFile(getDb(), resident, fileId)).bytes.equals(pdf)).toBe(true);
		await expect(readFile(getDb(), other, fileId)).rejects.toMatchObject({ status: 404 });
		await expect(storeFile(getDb(), resident, { type: 'event', id }, { name: 'page.html', bytes: Buffer.from('<script>') })).rejects.toMatchObject({
			code: 'file.badType'
		});
		await expect(storeFile(getDb(), resident, { type: 'event', id }, { name: 'faux.pdf', bytes: Buffer.from('<html>') })).rejects.toMatchObject({
			code: 'file.badType'
		});
		await expect(storeFile(getDb(), resident, { type: 'event', id }, { name: 'gros.pdf', bytes: Buffer.alloc(10 * 1024 * 1024 + 1) })).rejects.toMatchObject({
			code: 'file.tooLarge',
			status: 413
		});
		expect((await getEvent(getDb(), resident, id)).files.map((f) => f.name)).toEqual(['compte-rendu.pdf']);
	});

	it('publishes an iCalendar feed behind a personal token that a new token revokes', async () => {
		const first = await issueCalendarToken(getDb(), resident);
		expect(await checkCalendarToken(getDb(), lab.id, first)).toBe(true);
		expect(await checkCalendarToken(getDb(), other.lab.id, first)).toBe(false);
		const second = await issueCalendarToken(getDb(), resident);
		expect(await checkCalendarToken(getDb(), lab.id, first)).toBe(false);
		expect(await checkCalendarToken(getDb(), lab.id, second)).toBe(true);
		const e = await getDb().selectFrom('event').where('lab_id', '=', lab.id).selectAll().limit(1).execute();
		const ics = toICalendar(lab, e, 'http://labo.test');
		expect(ics).toContain('BEGIN:VCALENDAR');
		expect(ics).toContain('SUMMARY:Atelier de mai 2013');
		expect(ics).toMatch(/DTSTART(;TZID=Europe\/Paris)?:20130514T0[79]0000/);
	});

	it('cancels an event: kept in the history, marked, audited, out of the upcoming choices, and reinstated', async () => {
		const db = getDb();
		const coord = (await makeMember(db, lab, 'coordinator')).ctx;
		const soon = new Date(Date.now() + 10 * 86_400_000).toISOString();
		const later = new Date(Date.now() + 10 * 86_400_000 + 3_600_000).toISOString();
		const id = await createEvent(db, resident, { ...workshop, title: 'Atelier à annuler', startsAt: soon, endsAt: later });
		expect((await upcomingEventChoices(db, resident)).map((e) => e.id)).toContain(id);
		await expect(cancelEvent(db, partner, id, 'x')).rejects.toMatchObject({ status: 403 });
		await expect(cancelEvent(db, other, id, 'x')).rejects.toMatchObject({ status: 404 });
		await cancelEvent(db, resident, id, 'Salle indisponible');
		await expect(cancelEvent(db, resident, id, 'encore')).rejects.toMatchObject({ code: 'event.alreadyCancelled', status: 409 });
		const e = await getEvent(db, resident, id);
		expect(e.cancelledAt).not.toBeNull();
		expect(e.cancelReason).toBe('Salle indisponible');
		expect((await listEvents(db, resident, { when: 'upcoming' })).rows.find((r) => r.id === id)?.cancelledAt).toBe(e.cancelledAt);
		expect((await upcomingEventChoices(db, resident)).map((r) => r.id)).not.toContain(id);
		const ics = toICalendar(lab, await db.selectFrom('event').where('id', '=', id).selectAll().execute(), 'http://labo.test');
		expect(ics).toContain('STATUS:CANCELLED');
		const audit = await db.selectFrom('audit_entry').where('subject_id', '=', id).select('action').orderBy('created_at').execute();
		expect(audit.map((a) => a.action)).toEqual(['event.create', 'event.cancel']);
		await reinstateEvent(db, coord, id);
		expect((await getEvent(db, resident, id)).cancelledAt).toBeNull();
		expect((await upcomingEventChoices(db, resident)).map((r) => r.id)).toContain(id);
	});

	it('lets coordinators delete an event entered by mistake, and refuses while other records refer to it', async () => {
		const db = getDb();
		const coord = (await makeMember(db, lab, 'coordinator')).ctx;
		const id = await createEvent(db, resident, { ...workshop, title: 'Doublon' });
		await expect(deleteEvent(db, resident, id)).rejects.toMatchObject({ status: 403 });
		await expect(deleteEvent(db, other, id)).rejects.toMatchObject({ status: 404 });
		await deleteEvent(db, coord, id);
		await expect(getEvent(db, resident, id)).rejects.toMatchObject({ status: 404 });
		expect(await db.selectFrom('event_participant').where('event_id', '=', id).select('id').execute()).toEqual([]);
		expect((await search(db, resident, { q: 'doublon' })).hits.map((h) => h.id)).not.toContain(id);
		const audit = await db
			.selectFrom('audit_entry')
			.where('subject_id', '=', id)
			.where('action', '=', 'event.delete')
			.select('summary')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(audit.summary)).toMatchObject({ title: 'Doublon' });

		// An event an item was drawn from is not deleted: it is cancelled instead.
		const kept = await createEvent(db, resident, { ...workshop, title: 'Atelier avec fiches' });
		await createOutputs(db, resident, kept, [{ type: 'lesson', title: 'Une leçon', body: '' }]);
		await expect(deleteEvent(db, coord, kept)).rejects.toMatchObject({
			code: 'event.deleteLinked',
			status: 409,
			params: { outputs: 1, calls: 0, sessions: 0, files: 0, mentions: 0 }
		});
		expect((await getEvent(db, resident, kept)).title).toBe('Atelier avec fiches');
	});
});
