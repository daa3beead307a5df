const TZ = 'Europe/Paris';

function offsetMinutes(utc: Date): number {
	const parts = new Intl.DateTimeFormat('en-GB', {
		timeZone: TZ,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit'
	}).formatToParts(utc);
	const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
	return Math.round((asUtc - Math.floor(utc.getTime() / 60000) * 60000) / 60000);
}

/** "2014-02-06T14:00" (or with seconds) read as a Paris wall-clock time → ISO-8601 UTC. */
export function parisToIso(local: string): string {
	const naive = new Date(local.length === 16 ? local + ':00Z' : local + 'Z');
	// Two passes settle the offset around daylight-saving changes.
	let t = naive.getTime() - offsetMinutes(naive) * 60000;
	t = naive.getTime() - offsetMinutes(new Date(t)) * 60000;
	return new Date(t).toISOString();
}

/** ISO-8601 UTC → "2014-02-06T14:00" in Paris, for datetime-local inputs. */
export function isoToParis(iso: string): string {
	const d = new Date(iso);
	return new Date(d.getTime() + offsetMinutes(d) * 60000).toISOString().slice(0, 16);
}
