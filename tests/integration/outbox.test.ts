import { afterAll, beforeAll, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { describeEachDialect } from '../setup/db';
import { freePort } from '../setup/pg';
import { makeLab, makeMember } from '../factories';
import { enqueueMail, LINK_REMOVED, listOutbox } from '../../src/lib/server/mail/outbox';
import { createTransport, drainOutbox } from '../../src/lib/server/mail/transport';

interface Received {
	to: string;
	subject: string;
	text: string;
}

describeEachDialect('mail outbox over real SMTP', (getDb) => {
	const received: Received[] = [];
	let server: SMTPServer;
	let port: number;

	beforeAll(async () => {
		port = await freePort();
		server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS', 'AUTH'],
			onData(stream, _session, cb) {
				simpleParser(stream)
					.then((m) => {
						received.push({ to: (Array.isArray(m.to) ? m.to[0] : m.to)?.text ?? '', subject: m.subject ?? '', text: m.text ?? '' });
						cb();
					})
					.catch(cb);
			}
		});
		await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	});
	afterAll(async () => {
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});

	it('sends what is pending and marks it sent', async () => {
		const lab = await makeLab(getDb());
		const { ctx } = await makeMember(getDb(), lab, 'coordinator');
		await enqueueMail(getDb(), { labId: lab.id, to: 'lea@example.test', subject: 'Bonjour é', text: 'Corps du message' });
		const transport = createTransport(`smtp://127.0.0.1:${port}`);
		const res = await drainOutbox(getDb(), transport, 'Labo <labo@example.test>');
		transport.close();
		expect(res).toEqual({ sent: 1, failed: 0 });
		expect(received).toContainEqual({ to: 'lea@example.test', subject: 'Bonjour é', text: 'Corps du message\n' });
		const { rows } = await listOutbox(getDb(), ctx, {});
		expect(rows[0]).toMatchObject({ state: 'sent', attempts: 1 });
	});

	it('keeps no live link nor attachment once a mail is sent', async () => {
		const lab = await makeLab(getDb());
		const { ctx } = await makeMember(getDb(), lab, 'coordinator');
		const link = 'https://labo.example/password/reset/Zk3-secret_Token';
		const id = await enqueueMail(getDb(), {
			labId: lab.id,
			to: 'redact@example.test',
			subject: 'Réinitialisation',
			text: `Ouvrez ce lien : ${link}\nIl vaut une heure.`,
			html: `<p><a href="${link}">${link}</a></p>`,
			attachments: [{ filename: 'atelier.ics', contentType: 'text/calendar', content: 'BEGIN:VCALENDAR\nURL:https://labo.example/x\nEND:VCALENDAR' }]
		});
		// Before sending, coordinators see the whole mail (it may have to be passed on by hand).
		expect((await listOutbox(getDb(), ctx, {})).rows.find((r) => r.id === id)!.text).toContain(link);
		const transport = createTransport(`smtp://127.0.0.1:${port}`);
		await drainOutbox(getDb(), transport, 'labo@example.test');
		transport.close();
		// The recipient got the link...
		expect(received.find((r) => r.to === 'redact@example.test')!.text).toContain(link);
		// ...the outbox keeps who, what and when, not the token.
		const row = await getDb().selectFrom('outbox_message').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
		expect(row).toMatchObject({ state: 'sent', to_address: 'redact@example.test', subject: 'Réinitialisation', attachments: null });
		expect(row.text_body).toBe(`Ouvrez ce lien : ${LINK_REMOVED}\nIl vaut une heure.`);
		expect(row.html_body).not.toContain('secret_Token');
		expect(row.html_body).toContain(LINK_REMOVED);
		const shown = (await listOutbox(getDb(), ctx, { state: 'sent' })).rows.find((r) => r.id === id)!;
		expect(shown).toMatchObject({ to: 'redact@example.test', subject: 'Réinitialisation', state: 'sent' });
		expect(shown.text).not.toContain('secret_Token');
	});

	it('keeps a mail and retries later when the server cannot be reached', async () => {
		const lab = await makeLab(getDb());
		const { ctx } = await makeMember(getDb(), lab, 'coordinator');
		await enqueueMail(getDb(), { labId: lab.id, to: 'bob@example.test', subject: 'Later', text: '...' });
		const closed = await freePort();
		const transport = createTransport(`smtp://127.0.0.1:${closed}`);
		const res = await drainOutbox(getDb(), transport, 'labo@example.test');
		transport.close();
		expect(res).toEqual({ sent: 0, failed: 1 });
		const { rows } = await listOutbox(getDb(), ctx, {});
		expect(rows[0]).toMatchObject({ state: 'pending', attempts: 1 });
		expect(rows[0]!.lastError).toMatch(/ECONNREFUSED/);
		// Not due again yet: a second drain leaves it alone.
		const again = await drainOutbox(getDb(), createTransport(`smtp://127.0.0.1:${port}`), 'labo@example.test');
		expect(again).toEqual({ sent: 0, failed: 0 });
	});
});
