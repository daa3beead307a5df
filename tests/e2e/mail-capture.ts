/** A real SMTP server on 127.0.0.1 that keeps each mail it receives as a JSON file in `dir`. */
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export function startMailCapture(dir: string, port: number): SMTPServer {
	fs.mkdirSync(dir, { recursive: true });
	let n = 0;
	const smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, _session, cb) {
			simpleParser(stream)
				.then((m) => {
					const to = (Array.isArray(m.to) ? m.to[0] : m.to)?.value.map((v) => v.address).join(',') ?? '';
					const file = path.join(dir, `${Date.now()}-${++n}.json`);
					fs.writeFileSync(
						file + '.tmp',
						JSON.stringify({
							to,
							subject: m.subject,
							text: m.text,
							attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content.toString('utf8') }))
						})
					);
					fs.renameSync(file + '.tmp', file);
					cb();
				})
				.catch(cb);
		}
	});
	smtp.listen(port, '127.0.0.1');
	return smtp;
}
