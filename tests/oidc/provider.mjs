// A real OpenID Connect provider for Wellled's sign-on tests: panva's oidc-provider with its development
// sign-in pages, listening on 127.0.0.1 on a free port. The test fixture (tests/sso_provider.py) starts it with
// the client it should know in the OIDC_TEST_CLIENT environment variable (JSON: client_id, client_secret,
// redirect_uris) and reads the issuer from the first line printed: "issuer http://127.0.0.1:PORT".
//
// Whoever signs in at its development login page is the account named by what they typed: "sub" is that text,
// and so is "email" when it holds an "@" (given and family names come from the part before the "@").
import http from 'node:http';

import Provider from 'oidc-provider';

const client = JSON.parse(process.env.OIDC_TEST_CLIENT || '{}');

function claimsFor(login) {
  const email = login.includes('@') ? login : `${login}@example.org`;
  const [given = '', family = ''] = email.split('@')[0].split('.');
  const title = (word) => word.charAt(0).toUpperCase() + word.slice(1);
  return {
    sub: login,
    email,
    email_verified: true,
    given_name: title(given),
    family_name: title(family),
    name: [title(given), title(family)].filter(Boolean).join(' '),
    preferred_username: email,
  };
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.client_id,
        client_secret: client.client_secret,
        redirect_uris: client.redirect_uris,
        post_logout_redirect_uris: client.post_logout_redirect_uris || [],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    },
    cookies: { keys: ['wellled-test-oidc-provider-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      return { accountId: id, async claims() { return claimsFor(id); } };
    },
    // A first-party client: every scope it asks for is granted without a consent page.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
      grant.addOIDCClaims(['email', 'email_verified', 'name', 'given_name', 'family_name', 'preferred_username']);
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  console.log(`issuer ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
