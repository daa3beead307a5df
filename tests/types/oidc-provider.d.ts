// The few parts of oidc-provider (8.x ships no types) the tests' identity provider uses.
declare module 'oidc-provider' {
	import type { IncomingMessage, ServerResponse } from 'node:http';
	export interface KoaContextWithOIDC {
		body: unknown;
		oidc: {
			session?: { accountId?: string };
			client?: { clientId: string };
			provider: Provider;
		};
	}
	class Grant {
		constructor(init: { clientId: string; accountId: string });
		addOIDCScope(scope: string): void;
		addOIDCClaims(claims: string[]): void;
		save(): Promise<string>;
	}
	export default class Provider {
		constructor(issuer: string, configuration: unknown);
		Grant: typeof Grant;
		callback(): (req: IncomingMessage, res: ServerResponse) => void;
		on(event: string, listener: (ctx: KoaContextWithOIDC, ...rest: unknown[]) => void): this;
		interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ uid: string; prompt: { name: string } }>;
		interactionFinished(req: IncomingMessage, res: ServerResponse, result: unknown, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
	}
}
