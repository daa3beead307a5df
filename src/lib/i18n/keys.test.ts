import { describe, expect, it } from 'vitest';
import type { t } from './t.svelte';
import { translate, type MessageKey } from './index';
import { DomainError } from '$lib/server/errors';
import { msg, type Msg } from '$lib/shared/forms';

// Type-level tests: the type check (svelte-check) fails if any `@ts-expect-error` below stops
// being an error, i.e. if an unknown message key were accepted again.
describe('message keys are typed end to end', () => {
	it('refuses an unknown key at compile time (t, translate, DomainError, form messages, schema messages)', () => {
		// @ts-expect-error an unknown key is a type error for t()
		const forT: Parameters<typeof t>[0] = 'no.such.key';
		// @ts-expect-error an unknown key is a type error for translate()
		const translated = () => translate('fr', 'no.such.key');
		// @ts-expect-error an unknown key is a type error for a domain error's code
		const thrown = () => new DomainError('no.such.key');
		// @ts-expect-error an unknown key is a type error for a form message
		const message: Msg = { key: 'no.such.key' };
		// @ts-expect-error an unknown key is a type error for a schema message
		const schemaMessage = () => msg('no.such.key');
		// A template key type-checks only when every value of its union has a key.
		const status = 'draft' as 'draft' | 'published';
		const known: MessageKey = `journal.state.${status}`;
		// @ts-expect-error 'nonsense' has no journal.state key
		const unknown: MessageKey = `journal.state.${status as 'draft' | 'nonsense'}`;
		expect([forT, typeof translated, typeof thrown, message.key, typeof schemaMessage, known, unknown]).toHaveLength(7);
		expect(new DomainError('form.required').code).toBe('form.required');
	});
});
