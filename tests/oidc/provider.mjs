// A real OpenID Connect provider (the OpenID-certified npm `oidc-provider`) for tests
// and `make sso-demo`: ThaID-shaped claims (pid, title, Thai given_name/family_name),
// authorization code + PKCE, RP-initiated logout, and key rotation.
//
// Environment: OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS and
// OIDC_POST_LOGOUT_URIS (space separated), OIDC_ACCOUNTS (JSON {login: {claims}}) or
// OIDC_ACCOUNTS_FILE (a path to that JSON).
// Test controls (only with OIDC_TEST_CONTROLS=1): POST /_test/rotate makes a new
// signing key (the old one stays in the JWKS); POST /_test/forge?mode=M rewrites the
// next ID token (wrong_aud, wrong_iss, expired, wrong_nonce, alg_none, unknown_key).
import fs from "node:fs";
import http from "node:http";
import { URL } from "node:url";
import Provider from "oidc-provider";
import * as jose from "jose";

const port = Number(process.env.OIDC_PORT || 9000);
const issuer = `http://127.0.0.1:${port}`;
const clientId = process.env.OIDC_CLIENT_ID || "lms";
const clientSecret = process.env.OIDC_CLIENT_SECRET || "lms-secret";
const redirectUris = (process.env.OIDC_REDIRECT_URIS || "").split(/\s+/).filter(Boolean);
const logoutUris = (process.env.OIDC_POST_LOGOUT_URIS || "").split(/\s+/).filter(Boolean);
const accounts = JSON.parse(
  process.env.OIDC_ACCOUNTS_FILE
    ? fs.readFileSync(process.env.OIDC_ACCOUNTS_FILE, "utf8")
    : process.env.OIDC_ACCOUNTS || "{}",
);
const controls = process.env.OIDC_TEST_CONTROLS === "1";

async function newKey(kid) {
  const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  return { ...jwk, kid, alg: "RS256", use: "sig" };
}

let keys = [await newKey("key-1")];
let forge = null;
let provider = null;

function configuration() {
  return {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        post_logout_redirect_uris: logoutUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys },
    pkce: { required: () => true },
    scopes: ["openid", "pid", "profile", "email"],
    claims: {
      openid: ["sub"],
      pid: ["pid"],
      profile: ["title", "given_name", "family_name", "name"],
      email: ["email", "email_verified"],
    },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ["test-cookie-key"] },
    async findAccount(ctx, id) {
      if (!accounts[id]) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      // First-party client: no consent screen.
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope("openid pid profile email");
      await grant.save();
      return grant;
    },
    renderError(ctx, out) {
      ctx.type = "json";
      ctx.body = out;
    },
  };
}

async function forged(idToken, mode) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (mode === "wrong_aud") claims.aud = "someone-else";
  if (mode === "wrong_iss") claims.iss = "http://127.0.0.1:1/";
  if (mode === "expired") { claims.iat = now - 7200; claims.exp = now - 3600; }
  if (mode === "wrong_nonce") claims.nonce = "not-the-nonce";
  if (mode === "alg_none") {
    const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return `${b64({ alg: "none", typ: "JWT", kid: keys[0].kid })}.${b64(claims)}.`;
  }
  let key = keys[0];
  if (mode === "unknown_key") key = await newKey("rogue");
  const signingKey = await jose.importJWK(key, "RS256");
  return new jose.SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid })
    .sign(signingKey);
}

function build() {
  const p = new Provider(issuer, configuration());
  p.use(async (ctx, next) => {
    await next();
    if (ctx.path === "/token" && forge && ctx.body && ctx.body.id_token) {
      ctx.body = { ...ctx.body, id_token: await forged(ctx.body.id_token, forge) };
      forge = null;
    }
  });
  return p;
}
provider = build();

function page(res, status, html) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="th"><meta charset="utf-8"><title>Test provider</title><body>${html}</body></html>`);
}

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  try {
    const interaction = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
    if (interaction && req.method === "GET") {
      await provider.interactionDetails(req, res);
      return page(res, 200,
        `<h1>ยืนยันตัวตน</h1><form method="post" action="/interaction/${interaction[1]}/login">` +
        `<label for="login">บัญชี</label><input id="login" name="login">` +
        `<button type="submit">เข้าสู่ระบบ</button></form>`);
    }
    if (interaction && interaction[2] && req.method === "POST") {
      const form = await body(req);
      const login = form.get("login") || "";
      if (!accounts[login]) return page(res, 400, "<p>unknown account</p>");
      return await provider.interactionFinished(req, res, { login: { accountId: login } }, {
        mergeWithLastSubmission: false,
      });
    }
    if (controls && req.method === "POST" && url.pathname === "/_test/rotate") {
      keys = [await newKey(`key-${keys.length + 1}`), ...keys];
      provider = build();
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ kid: keys[0].kid }));
    }
    if (controls && req.method === "POST" && url.pathname === "/_test/forge") {
      forge = url.searchParams.get("mode");
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ forge }));
    }
    return provider.callback()(req, res);
  } catch (err) {
    page(res, 500, `<pre>${String(err && err.message)}</pre>`);
  }
});

server.listen(port, "127.0.0.1", () => {
  process.stdout.write(`oidc-provider ready at ${issuer}\n`);
});
