import { tick } from 'svelte';
import type { SubmitFunction } from '@sveltejs/kit';

/**
 * For `use:enhance`: once a form's answer is shown, focus goes to the result instead of being
 * lost (to the top of the page, or nowhere when the button that was pressed disappears): the
 * first field in error, else the element named by the form's `data-result` attribute (its
 * section's status message), so keyboard and screen-reader users stay where they were.
 */
export const focusResult =
	(opts: { reset?: boolean } = {}): SubmitFunction =>
	({ formElement }) =>
	async ({ update, result }) => {
		await update({ reset: opts.reset ?? true });
		if (result.type === 'redirect') return;
		await tick();
		const invalid = formElement.isConnected ? formElement.querySelector<HTMLElement>('[aria-invalid="true"]') : null;
		const status = formElement.dataset.result ? document.getElementById(formElement.dataset.result) : null;
		(invalid ?? status)?.focus();
	};
