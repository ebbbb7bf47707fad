// The OpenID providers of the test run: panva's oidc-provider (OpenID-certified), on loopback.
//
// Started by tests/oidc/provider.py with a JSON configuration on stdin:
//   {"providers": [{"name": "franceconnect", "clients": [{client_id, client_secret,
//     redirect_uris, post_logout_redirect_uris, scope, userinfo_signed_response_alg?}],
//     "scopes": {"scope": ["claim", ...]}}]}
// Each provider listens on its own port (its issuer is http://127.0.0.1:<port>); one line of
// JSON on stdout says where: {"ready": {"franceconnect": "http://127.0.0.1:41234", ...}}.
//
// The login page is a plain form (an identifier, no password: the accounts are the tests').
// Consent is implied. Test-only control routes, under /__test__/ on each provider:
//   POST /__test__/accounts   {"<login>": {claims}}       the accounts that may sign in
//   POST /__test__/tamper     {"mode": "aud"|"exp"|"nonce"|"signature"|"unknown_key"|null}
//                             the next ID tokens the token endpoint issues are forged so
import http from 'node:http';
import { readFileSync } from 'node:fs';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(0, 'utf8'));

function htmlEscape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(type === 'application/json' ? JSON.stringify(body) : body);
}

async function startProvider(spec) {
  const accounts = new Map();
  const state = { tamper: null };
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: `${spec.name}-1`, alg: 'RS256', use: 'sig' };
  const rogue = await jose.generateKeyPair('RS256', { extractable: true });

  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const claims = { openid: ['sub'], ...spec.scopes };
  const provider = new Provider(issuer, {
    clients: spec.clients,
    jwks: { keys: [signingJwk] },
    claims,
    scopes: Object.keys(claims),
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
            <title>Déconnexion du fournisseur</title></head><body><main>
            <h1>Se déconnecter de ${htmlEscape(spec.name)} ?</h1>${form}
            <button type="submit" form="op.logoutForm" value="yes" name="logout">Oui, me déconnecter</button>
            </main></body></html>`;
        },
      },
    },
    // FranceConnect's levels: an account's "acr" (in its test claims) is the level it signs in at.
    acrValues: ['eidas1', 'eidas2', 'eidas3'],
    pkce: { required: () => true },
    // Tokens' lifetimes as a provider would set them; "expired" is forged below.
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    cookies: { keys: ['test-only-cookie-key'] },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const found = accounts.get(sub);
      if (!found) return undefined;
      return { accountId: sub, async claims() { return { sub, ...found }; } };
    },
    // Consent is implied: every scope the client asks for is granted.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
      await grant.save();
      return grant;
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur</title></head>
        <body><main><h1>${htmlEscape(out.error)}</h1><p>${htmlEscape(out.error_description || '')}</p></main></body></html>`;
    },
  });
  provider.proxy = false;

  async function forge(idToken, mode) {
    const [headerPart, payloadPart, signaturePart] = idToken.split('.');
    const payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
    const now = Math.floor(Date.now() / 1000);
    let key = privateKey;
    let kid = signingJwk.kid;
    if (mode === 'signature') {
      const bytes = Buffer.from(signaturePart, 'base64url');
      bytes[0] ^= 0xff;
      return `${headerPart}.${payloadPart}.${bytes.toString('base64url')}`;
    }
    if (mode === 'aud') payload.aud = 'another-client';
    if (mode === 'nonce') payload.nonce = 'forged-nonce';
    if (mode === 'exp') { payload.iat = now - 1200; payload.exp = now - 600; }
    if (mode === 'unknown_key') { key = rogue.privateKey; kid = 'unknown-key'; }
    return new jose.SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
  }

  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token && state.tamper) {
      ctx.body = { ...ctx.body, id_token: await forge(ctx.body.id_token, state.tamper) };
    }
  });

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    try {
      const url = new URL(req.url, issuer);
      const interaction = url.pathname.match(/^\/interaction\/([\w-]+)(\/login)?$/);
      if (url.pathname === '/__test__/accounts' && req.method === 'POST') {
        for (const [login, found] of Object.entries(await readJson(req))) accounts.set(login, found);
        return send(res, 200, { accounts: accounts.size });
      }
      if (url.pathname === '/__test__/tamper' && req.method === 'POST') {
        state.tamper = (await readJson(req)).mode || null;
        return send(res, 200, { tamper: state.tamper });
      }
      if (interaction && req.method === 'GET' && !interaction[2]) {
        const details = await provider.interactionDetails(req, res);
        return send(res, 200, `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
          <title>Connexion — ${htmlEscape(spec.name)}</title></head><body><main>
          <h1>Connexion à ${htmlEscape(spec.name)}</h1>
          <form method="post" action="/interaction/${htmlEscape(details.uid)}/login">
            <label for="login">Identifiant</label>
            <input id="login" name="login" autocomplete="username">
            <button type="submit">Continuer</button>
          </form></main></body></html>`, 'text/html; charset=utf-8');
      }
      if (interaction && req.method === 'POST' && interaction[2]) {
        const form = await readForm(req);
        const login = form.get('login') || '';
        if (!accounts.has(login)) {
          return provider.interactionFinished(req, res, {
            error: 'access_denied', error_description: 'unknown account',
          }, { mergeWithLastSubmission: false });
        }
        const { acr } = accounts.get(login);
        const result = { login: { accountId: login, ...(acr ? { acr } : {}) } };
        return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      }
      return callback(req, res);
    } catch (error) {
      return send(res, 500, { error: String(error) });
    }
  });
  return { name: spec.name, issuer };
}

const started = await Promise.all(config.providers.map(startProvider));
process.stdout.write(`${JSON.stringify({ ready: Object.fromEntries(started.map((p) => [p.name, p.issuer])) })}\n`);
