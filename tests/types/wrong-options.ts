// Must NOT type-check: each call has one misspelt option name, the mistakes people make.
// tests/types/types.test.mjs expects exactly these three errors, at these lines.
import { authorizationUrl, exchangeAuthCode, getAdvertisers } from 'tiktok-ads-auth';

authorizationUrl({ appId: '7123456789012345678', redirectUrl: 'https://me.example/cb' });
exchangeAuthCode({ appId: '7123456789012345678', secret: 's', authCode: 'c', apiBse: 'https://api.example' });
getAdvertisers({ accessToken: 't', appId: '7123456789012345678', secret: 's', timeout: 5000 });
