/**
 * Functions a domain offers other domains so they stop writing its tables themselves: each does
 * exactly its owner's part (and nothing of a neighbour's), on both databases.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeAccount, makeLab, makeMember, uid } from '../factories';
import { deleteKeysWithPrefix, hasKey, putKey } from '../../src/lib/server/ratelimit';
import { storedSecretHex, storeSecretOnce } from '../../src/lib/server/installation';
import { findLabJob, stageImportJob } from '../../src/lib/server/jobs';
import { countLinksTo, removeLinksFrom } from '../../src/lib/server/links';
import { indexDocument, setStatus } from '../../src/lib/server/search';
import { newId } from '../../src/lib/server/db/util';
import { addParticipant, anonymiseParticipant, participantCount, removeParticipant } from '../../src/lib/server/events';
import { createEvent, type EventInput } from '../../src/lib/server/events/events.service';
import { anonymiseRole } from '../../src/lib/server/experiments';
import { createExperiment } from '../../src/lib/server/experiments/experiments.service';
import { deletePersonIfUnused, findOrCreatePerson } from '../../src/lib/server/auth';

const eventInput = (over: Partial<EventInput> = {}): EventInput => ({
	kind: 'workshop',
	title: `Atelier ${uid()}`,
	startsAt: '2030-03-01T09:00:00.000Z',
	endsAt: '2030-03-01T12:00:00.000Z',
	place: '',
	onlineUrl: '',
	description: '',
	agenda: '',
	minutes: '',
	participants: [],
	decisions: [],
	...over
});
const later = (ms: number) => new Date(Date.now() + ms).toISOString();

describeEachDialect('owners’ functions for other domains', (getDb) => {
	it('ratelimit keeps keyed marks until they expire and forgets them by prefix', async () => {
		const db = getDb();
		const p = `mark:${uid()}:`;
		await putKey(db, `${p}a`, later(60_000));
		await putKey(db, `${p}b`, later(-1000));
		await putKey(db, `other:${p}`, later(60_000));
		expect(await hasKey(db, `${p}a`)).toBe(true);
		expect(await hasKey(db, `${p}b`)).toBe(false);
		// Putting it again renews it.
		await putKey(db, `${p}b`, later(60_000));
		expect(await hasKey(db, `${p}b`)).toBe(true);
		await deleteKeysWithPrefix(db, p);
		expect(await hasKey(db, `${p}a`)).toBe(false);
		expect(await hasKey(db, `${p}b`)).toBe(false);
		expect(await hasKey(db, `other:${p}`)).toBe(true);
	});

	it('installation stores its secret once: the first value wins', async () => {
		const db = getDb();
		const first = await storeSecretOnce(db, 'ab'.repeat(32));
		expect(await storeSecretOnce(db, 'cd'.repeat(32))).toBe(first);
		expect(await storedSecretHex(db)).toBe(first);
	});

	it('jobs finds a staged job only in its lab and of its kind', async () => {
		const db = getDb();
		const [lab, other] = [await makeLab(db), await makeLab(db)];
		const id = await stageImportJob(db, { labId: lab.id, kind: 'test-kind', fileName: 'f.csv', total: 1, payload: '{"x":1}', createdBy: null });
		expect(await findLabJob(db, { id, labId: lab.id, kind: 'test-kind' })).toEqual({ id, state: 'ready', payload: '{"x":1}' });
		expect(await findLabJob(db, { id, labId: other.id, kind: 'test-kind' })).toBeNull();
		expect(await findLabJob(db, { id, labId: lab.id, kind: 'other-kind' })).toBeNull();
	});

	it('links removes only the links a record makes', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const [a, b, c] = [newId(), newId(), newId()];
		await db
			.insertInto('link')
			.values([
				{ lab_id: lab.id, from_type: 'event', from_id: a, to_type: 'knowledge', to_id: c },
				{ lab_id: lab.id, from_type: 'event', from_id: b, to_type: 'knowledge', to_id: c },
				{ lab_id: lab.id, from_type: 'knowledge', from_id: c, to_type: 'event', to_id: a }
			])
			.execute();
		expect(await countLinksTo(db, lab.id, { type: 'knowledge', id: c })).toBe(2);
		await removeLinksFrom(db, { type: 'event', id: a });
		expect(await countLinksTo(db, lab.id, { type: 'knowledge', id: c })).toBe(1);
		expect(await countLinksTo(db, lab.id, { type: 'event', id: a })).toBe(1);
	});

	it('search sets the status of one document only', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const [a, b] = [newId(), newId()];
		for (const id of [a, b])
			await indexDocument(db, { type: 'event', id, labId: lab.id, title: `Atelier ${id}`, body: '', visibility: 'lab', date: '2030-01-01T09:00:00.000Z' });
		await setStatus(db, 'event', a, 'cancelled');
		const rows = await db.selectFrom('search_document').where('doc_id', 'in', [a, b]).select(['doc_id', 'status']).execute();
		expect(Object.fromEntries(rows.map((r) => [r.doc_id, r.status]))).toEqual({ [a]: 'cancelled', [b]: '' });
	});

	it('events adds a person once, takes them off by role, and anonymises them in one lab only', async () => {
		const db = getDb();
		const [lab, other] = [await makeLab(db), await makeLab(db)];
		const coord = (await makeMember(db, lab, 'coordinator')).ctx;
		const otherCoord = (await makeMember(db, other, 'coordinator')).ctx;
		const person = await makeAccount(db);
		const eventId = await createEvent(db, coord, eventInput({ participants: [{ name: 'Invitée', organisation: '', role: 'participant', attended: null }] }));
		const otherEvent = await createEvent(db, otherCoord, eventInput());
		const base = { labId: lab.id, eventId, personId: person.personId, name: 'Réf', organisation: 'DGS', position: 1 };
		await addParticipant(db, { ...base, role: 'participant' });
		// Added again with another role: still one row for the person, the new role.
		await addParticipant(db, { ...base, role: 'facilitator' });
		expect(await participantCount(db, eventId)).toBe(2);
		const mine = () => db.selectFrom('event_participant').where('person_id', '=', person.personId).select(['event_id', 'role', 'name']).execute();
		expect(await mine()).toEqual([{ event_id: eventId, role: 'facilitator', name: 'Réf' }]);
		// Only the roles given are taken off.
		await removeParticipant(db, eventId, person.personId, ['trainer']);
		expect(await participantCount(db, eventId)).toBe(2);
		await removeParticipant(db, eventId, person.personId, ['facilitator', 'co_facilitator']);
		expect(await participantCount(db, eventId)).toBe(1);
		await addParticipant(db, { ...base, role: 'facilitator' });
		await addParticipant(db, { ...base, labId: other.id, eventId: otherEvent, role: 'participant' });
		await anonymiseParticipant(db, lab.id, person.personId, 'Anonyme x');
		expect(await mine()).toEqual([{ event_id: otherEvent, role: 'participant', name: 'Réf' }]);
		expect(
			await db.selectFrom('event_participant').where('event_id', '=', eventId).where('name', '=', 'Anonyme x').select(['role', 'person_id']).execute()
		).toEqual([{ role: 'facilitator', person_id: null }]);
	});

	it('experiments anonymises the roles a person held in one lab', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const coord = (await makeMember(db, lab, 'coordinator')).ctx;
		const person = await makeAccount(db);
		const experimentId = await createExperiment(db, coord, {
			title: `Expé ${uid()}`,
			scenario: '',
			summary: '',
			sponsor: '',
			operator: '',
			partners: '',
			lineage: '',
			conclusions: ''
		});
		const role = (responsibility: string, over: { person_id: string | null; person_name: string }) => ({
			id: newId(),
			lab_id: lab.id,
			experiment_id: experimentId,
			responsibility,
			estimated_days: 1,
			actual_days: 0,
			...over
		});
		const rows0 = [
			role(`Rôle ${uid()}`, { person_id: person.personId, person_name: 'Réf' }),
			role(`Rôle ${uid()}`, { person_id: null, person_name: 'Externe' })
		];
		await db.insertInto('experiment_role').values(rows0).execute();
		await anonymiseRole(db, lab.id, person.personId, 'Anonyme y');
		const rows = await db
			.selectFrom('experiment_role')
			.where(
				'id',
				'in',
				rows0.map((r) => r.id)
			)
			.select(['person_id', 'person_name'])
			.orderBy('person_name')
			.execute();
		expect(rows).toEqual([
			{ person_id: null, person_name: 'Anonyme y' },
			{ person_id: null, person_name: 'Externe' }
		]);
	});

	it('auth finds or creates the person of an address, and deletes one only without an account', async () => {
		const db = getDb();
		const member = await makeAccount(db);
		expect(await findOrCreatePerson(db, { email: member.email, name: 'Autre nom', organisation: null })).toBe(member.personId);
		const email = `agent-${uid()}@example.test`;
		const created = await findOrCreatePerson(db, { email, name: 'Agente', organisation: 'DGS' });
		expect(await findOrCreatePerson(db, { email, name: 'Agente bis', organisation: null })).toBe(created);
		expect(await db.selectFrom('person').where('id', '=', created).select(['name', 'organisation']).executeTakeFirst()).toEqual({
			name: 'Agente',
			organisation: 'DGS'
		});
		expect(await deletePersonIfUnused(db, member.personId)).toBe(false);
		expect(await deletePersonIfUnused(db, created)).toBe(true);
		expect(await db.selectFrom('person').where('id', 'in', [created, member.personId]).select('id').execute()).toEqual([{ id: member.personId }]);
	});
});
