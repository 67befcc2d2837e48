// A TypeScript consumer that calls every function of tiktok-ads-auth and pins its types down:
// `tsc --noEmit --strict` must pass on it. Each `@ts-expect-error` line must fail to type,
// or tsc reports the directive as unused.
import {
  advertisersRequestCurl,
  authorizationUrl,
  exchangeAuthCode,
  getAdvertisers,
  isTikTokAuthError,
  normalizeApiBase,
  parseRedirect,
  parseTokenResponse,
  revokeToken,
  stateVerdict,
  stripRedirectParams,
  tokenRequestCurl,
} from 'tiktok-ads-auth';
import type {
  AccessTokenOptions,
  AdvertisersRequestCurlOptions,
  Advertiser,
  AuthorizationUrl,
  AuthorizationUrlOptions,
  ExchangeAuthCodeOptions,
  RedirectParams,
  StateVerdict,
  StateVerdictOptions,
  TikTokAuthError,
  TikTokAuthErrorKind,
  TikTokAuthFetch,
  TikTokAuthSignal,
  TokenGrant,
  TokenRequestCurlOptions,
} from 'tiktok-ads-auth';

// Exact type equality (not mere assignability), and a compile-time assertion.
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends (<T>() => T extends Y ? 1 : 2) ? true : false;
type Expect<T extends true> = T;
type Shape<T> = { [K in keyof T]: T[K] };

const appId = '7123456789012345678';
const secret = 'app-secret';
const apiBase = 'https://sandbox-ads.tiktok.com/open_api/v1.3';

export type Checks = [
  // Option objects: exactly the documented fields (npm/README.md), optional where it says so.
  Expect<Equal<Shape<AuthorizationUrlOptions>, { appId: string; redirectUri: string; state?: string; authBase?: string }>>,
  Expect<Equal<Shape<ExchangeAuthCodeOptions>,
    { appId: string; secret: string; authCode: string; apiBase?: string; timeoutMs?: number;
      fetch?: TikTokAuthFetch; signal?: TikTokAuthSignal }>>,
  Expect<Equal<Shape<TokenRequestCurlOptions>, { appId: string; secret: string; authCode: string; apiBase?: string }>>,
  Expect<Equal<Shape<AccessTokenOptions>,
    { accessToken: string; appId: string; secret: string; apiBase?: string; timeoutMs?: number;
      fetch?: TikTokAuthFetch; signal?: TikTokAuthSignal }>>,
  Expect<Equal<Shape<StateVerdictOptions>,
    { expected: string | null | undefined; returned: string | null | undefined }>>,
  // Results.
  Expect<Equal<Shape<AuthorizationUrl>, { url: string; state: string }>>,
  Expect<Equal<Shape<RedirectParams>, { authCode: string; state: string | null; codeParam: 'auth_code' | 'code' }>>,
  Expect<Equal<Shape<TokenGrant>, { accessToken: string; advertiserIds: string[]; scope: string[]; requestId: string | null; warnings: string[] }>>,
  Expect<Equal<Shape<Advertiser>, { advertiserId: string; advertiserName: string }>>,
  Expect<Equal<StateVerdict, 'verified' | 'not_issued'>>,
  // The error: a closed union of kinds and typed optional fields.
  Expect<Equal<TikTokAuthErrorKind,
    | 'invalid_input' | 'missing_auth_code' | 'authorization_denied' | 'state_mismatch'
    | 'network' | 'timeout' | 'http_status' | 'api_error' | 'invalid_response'>>,
  Expect<Equal<TikTokAuthError['name'], 'TikTokAuthError'>>,
  Expect<Equal<TikTokAuthError['kind'], TikTokAuthErrorKind>>,
  Expect<Equal<TikTokAuthError['message'], string>>,
  Expect<Equal<TikTokAuthError['code'], number | undefined>>,
  Expect<Equal<TikTokAuthError['status'], number | undefined>>,
  Expect<Equal<TikTokAuthError['requestId'], string | undefined>>,
  Expect<Equal<TikTokAuthError['hint'], string | undefined>>,
  // Signatures.
  Expect<Equal<typeof authorizationUrl, (options: AuthorizationUrlOptions) => AuthorizationUrl>>,
  Expect<Equal<typeof parseRedirect, (input: string) => RedirectParams>>,
  Expect<Equal<typeof exchangeAuthCode, (options: ExchangeAuthCodeOptions) => Promise<TokenGrant>>>,
  Expect<Equal<typeof parseTokenResponse, (json: string) => TokenGrant>>,
  Expect<Equal<typeof tokenRequestCurl, (options: TokenRequestCurlOptions) => string>>,
  Expect<Equal<typeof getAdvertisers, (options: AccessTokenOptions) => Promise<Advertiser[]>>>,
  Expect<Equal<typeof advertisersRequestCurl, (options: AdvertisersRequestCurlOptions) => string>>,
  Expect<Equal<typeof revokeToken, (options: AccessTokenOptions) => Promise<string[]>>>,
  Expect<Equal<typeof stateVerdict, (options: StateVerdictOptions) => StateVerdict>>,
  Expect<Equal<ReturnType<typeof stripRedirectParams>, string>>,
  Expect<Equal<ReturnType<typeof normalizeApiBase>, string>>,
  Expect<Equal<typeof isTikTokAuthError, (error: unknown) => error is TikTokAuthError>>,
];

/** What a page says for each kind: the `never` default proves the union is exhaustive. */
export function explain(kind: TikTokAuthErrorKind): string {
  switch (kind) {
    case 'invalid_input': return 'Check the value named in the message.';
    case 'missing_auth_code': return 'Open the page through the authorization link.';
    case 'authorization_denied': return 'Authorize again and accept.';
    case 'state_mismatch': return 'Start again from this page.';
    case 'network': return 'Use the curl command.';
    case 'timeout': return 'Check the network.';
    case 'http_status': return 'TikTok answered with an HTTP error.';
    case 'api_error': return 'See TikTok\'s code.';
    case 'invalid_response': return 'TikTok\'s answer was not understood.';
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

export async function flow(redirectedTo: string, issuedState: string | null): Promise<string> {
  const { url, state }: AuthorizationUrl = authorizationUrl({ appId, redirectUri: 'https://me.example/cb' });
  const own = authorizationUrl({ appId, redirectUri: 'https://me.example/cb', state, authBase: 'https://business-api.tiktok.com' });

  const redirect = parseRedirect(redirectedTo);
  const verdict = stateVerdict({ expected: issuedState, returned: redirect.state });
  const cleanUrl: string = stripRedirectParams(redirectedTo);
  const base: string = normalizeApiBase(apiBase + '/');

  try {
    const grant = await exchangeAuthCode({ appId, secret, authCode: redirect.authCode, apiBase: base, timeoutMs: 30_000 });
    const firstId: string | undefined = grant.advertiserIds[0];
    const scope: string[] = grant.scope;
    const warnings: string[] = grant.warnings;
    const otherFlow: boolean = redirect.codeParam === 'code';
    const advertisers = await getAdvertisers({ accessToken: grant.accessToken, appId, secret, apiBase: base, timeoutMs: 10_000 });
    const names = advertisers.map((a) => `${a.advertiserId} ${a.advertiserName}`);
    const revoked: string[] = await revokeToken({ accessToken: grant.accessToken, appId, secret });
    return [url, own.url, verdict, cleanUrl, firstId, scope.length, otherFlow, ...warnings, ...names, ...revoked].join('\n');
  } catch (e: unknown) {
    if (!isTikTokAuthError(e)) throw e;
    // Narrowed: every field is typed, none is `any`.
    const kind: TikTokAuthErrorKind = e.kind;
    const code: number | undefined = e.code;
    const status: number | undefined = e.status;
    const requestId: string | undefined = e.requestId;
    const hint: string | undefined = e.hint;
    const asError: Error = e;
    if (kind === 'network') {
      // The CORS fallback: the same request as a curl command, and TikTok's pasted answer.
      const command: string = tokenRequestCurl({ appId, secret, authCode: redirect.authCode, apiBase: base });
      const pasted: TokenGrant = parseTokenResponse('{"code":0,"data":{"access_token":"t","advertiser_ids":["1"]}}');
      return command + pasted.accessToken;
    }
    return [explain(kind), code, status, requestId, hint, asError.message].join(' ');
  }
}

// A fetch of one's own (here a test double answering with anything) and a signal-like object.
export function ownTransport(): Promise<TokenGrant> {
  const fetch: TikTokAuthFetch = async (url, init) => ({ url, init });
  const signal: TikTokAuthSignal = { aborted: false, addEventListener() {}, removeEventListener() {} };
  return exchangeAuthCode({ appId, secret, authCode: 'c', fetch, signal });
}

export function misuse(e: unknown): void {
  // @ts-expect-error app ids are strings of digits, never numbers (they exceed 2^53)
  authorizationUrl({ appId: 7123456789012345678, redirectUri: 'https://me.example/cb' });
  // @ts-expect-error redirectUri is required
  authorizationUrl({ appId });
  // @ts-expect-error timeoutMs is a number of milliseconds
  void exchangeAuthCode({ appId, secret, authCode: 'c', timeoutMs: '30000' });
  // @ts-expect-error the secret is required
  void getAdvertisers({ accessToken: 't', appId });
  // @ts-expect-error fetch is a function, not its name
  void exchangeAuthCode({ appId, secret, authCode: 'c', fetch: 'fetch' });
  // @ts-expect-error a signal is an AbortSignal, not a flag
  void revokeToken({ accessToken: 't', appId, secret, signal: true });
  // @ts-expect-error parseRedirect takes the URL or query string itself
  parseRedirect({ url: 'https://me.example/cb?auth_code=c' });
  if (isTikTokAuthError(e)) {
    // @ts-expect-error not a kind of this package
    if (e.kind === 'netwrok') return;
    // @ts-expect-error `code` may be absent: narrow it first
    const code: number = e.code;
    void code;
  }
  // @ts-expect-error an unknown value has no `kind` until isTikTokAuthError narrows it
  void e.kind;
  // @ts-expect-error the loader is internal: the package initialises itself
  void import('tiktok-ads-auth').then((m) => m.initSync);
}
