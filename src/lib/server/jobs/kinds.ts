/**
 * The job kinds and periodic tasks this app runs. Loaded lazily so that the domains can use
 * the queue without an import cycle through the worker.
 */
import type { Handlers, JobHandler } from './worker';
import type { Tick } from './ticks';

const lazy = (failedKey: string, load: () => Promise<JobHandler>): JobHandler => ({
	failedKey,
	run: async (job, ctx) => (await load()).run(job, ctx)
});

export function defaultHandlers(): Handlers {
	return {
		'network.invitations': lazy('network.import.failed', async () => (await import('../network')).invitationJob),
		session: lazy('session.import.failed', async () => (await import('../sessions')).participantsJob),
		'journal.wordpress': lazy('journal.import.failed', async () => (await import('../journal')).wxrJob)
	};
}

export function defaultTicks(): Tick[] {
	return [
		// Reminders to referents assigned to an event in the next two days (each sent once).
		{ name: 'network.reminders', everyMs: 10 * 60_000, run: async (db) => (await import('../network')).sendReminders(db) },
		// Scheduled posts go out at their time even when nobody is reading the journal.
		{ name: 'journal.publishDue', everyMs: 60_000, run: async (db) => (await import('../journal')).publishDue(db) },
		// Daily digests of new comments, for those who chose them (checked every half hour).
		{ name: 'journal.digests', everyMs: 30 * 60_000, run: async (db) => (await import('../journal')).sendDigests(db) }
	];
}
