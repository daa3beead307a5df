import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { issuesToErrors } from './forms';
import { changeRoleSchema, eventDeleteSchema, eventSchema, inviteSchema, localeSchema, newPasswordSchema } from './schemas';
import { translate } from '$lib/server/i18n';

const errorsOf = (schema: z.ZodType, v: unknown) => {
	const r = schema.safeParse(v);
	return r.success ? {} : issuesToErrors(r.error.issues);
};

describe('form schemas', () => {
	it('gives one message per field for missing and oversized values', () => {
		const errors = errorsOf(inviteSchema, { name: 'x'.repeat(121), email: '', role: 'king' });
		expect(errors).toEqual({
			name: { key: 'form.tooLong', params: { max: 120 } },
			email: { key: 'form.required' },
			role: { key: 'form.invalidChoice' }
		});
	});

	it('rejects a malformed e-mail with its own message', () => {
		expect(errorsOf(inviteSchema, { name: 'A', email: 'not-an-email', role: 'resident' })).toEqual({ email: { key: 'form.invalidEmail' } });
	});

	it('trims and accepts a valid invitation', () => {
		expect(inviteSchema.parse({ name: '  Léa  ', email: ' lea@example.test ', role: 'partner' })).toEqual({
			name: 'Léa',
			email: 'lea@example.test',
			role: 'partner'
		});
	});

	it('checks that both passwords match, and their length', () => {
		expect(errorsOf(newPasswordSchema, { password: 'long-enough-1', confirm: 'other' })).toEqual({ confirm: { key: 'form.passwordMismatch' } });
		expect(errorsOf(newPasswordSchema, { password: 'short', confirm: 'short' })).toEqual({ password: { key: 'form.tooShort', params: { min: 10 } } });
	});

	it('only redirects to local paths after a language switch', () => {
		expect(localeSchema.parse({ locale: 'en', redirectTo: '/l/paca' }).redirectTo).toBe('/l/paca');
		expect(localeSchema.parse({ locale: 'en', redirectTo: '//evil.example' }).redirectTo).toBe('/');
		expect(localeSchema.parse({ locale: 'en', redirectTo: 'https://evil.example' }).redirectTo).toBe('/');
	});

	it('refuses a membership id that is not a uuid', () => {
		expect(changeRoleSchema.safeParse({ membershipId: "1' or 1=1", role: 'resident' }).success).toBe(false);
	});
});

describe('a text too long for its field', () => {
	it('is told its length, in words, instead of being cut', () => {
		const raw = { kind: 'workshop', title: 'x'.repeat(2 * 1024 * 1024), startsAt: '2030-05-14T09:00', endsAt: '2030-05-14T12:00' };
		const r = eventSchema.safeParse(raw);
		expect(r.success).toBe(false);
		const errors = issuesToErrors(r.error!.issues, raw);
		expect(errors.title).toEqual({ key: 'form.tooLongTyped', params: { max: 200, count: 2_097_152 } });
		expect(translate('fr', errors.title!.key, errors.title!.params)).toBe('200 caractères au plus, vous en avez saisi 2\u202f097\u202f152.');
		expect(translate('en', errors.title!.key, errors.title!.params)).toBe('200 characters at most; you typed 2,097,152.');
	});
});

describe('deleting an event', () => {
	it('needs the confirmation box ticked', () => {
		const none = eventDeleteSchema.safeParse({ formId: 'delete' });
		expect(none.success).toBe(false);
		expect(issuesToErrors(none.error!.issues).confirm).toEqual({ key: 'event.deleteConfirmRequired' });
		expect(eventDeleteSchema.safeParse({ confirm: 'yes' }).success).toBe(true);
	});
});
