// HTTP to the server. Every API call goes through `apiFetch`: the session's JWT attached, one
// refresh on a 401 (the rotated refresh token saved), one retry, and every failure as ApiError.
// A phone the server says is stopped (cutoff.js) is erased here, whichever call met the answer.
import { eraseForCutOff, isCutOff } from './cutoff.js';
import { getMeta, setMeta } from './db.js';

/**
 * Any failure the UI can show: status 0 means the network, otherwise the server's JSON error
 * (`code`, `message`, `errors`) with the HTTP status and, when sent, Retry-After in seconds.
 */
export class ApiError extends Error {
  constructor(status, code, message, errors = {}, retryAfter = null) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }
  get isNetwork() {
    return this.status === 0;
  }
  get isAuth() {
    return this.status === 401;
  }
}

/** A Retry-After header in seconds (it may be a number of seconds or an HTTP date); null if absent. */
export function retryAfterSeconds(value, now = Date.now()) {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** A refused answer as ApiError; a stopped phone is erased before it is thrown. */
async function refusal(res) {
  const err = await problemOf(res);
  if (isCutOff(err)) await eraseForCutOff(err.code);
  return err;
}

/** A refused answer as ApiError: the server's JSON error when the body is one. */
export async function problemOf(res) {
  let body = null;
  try {
    body = await res.json();
  } catch (_) {
    /* not JSON */
  }
  const d = body && typeof body === 'object' ? body : {};
  return new ApiError(
    res.status,
    d.code || `http_${res.status}`,
    d.message || res.statusText,
    d.errors || {},
    retryAfterSeconds(res.headers.get('Retry-After')),
  );
}

async function send(path, { method = 'GET', body, headers = {}, token }) {
  const all = { Accept: 'application/json', ...headers };
  if (body !== undefined) all['Content-Type'] = 'application/json';
  if (token) all.Authorization = `Bearer ${token}`;
  try {
    return await fetch(path, {
      method,
      headers: all,
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', String(err?.message || err));
  }
}

let refreshing = null;

/** Trades the refresh token for a new pair; concurrent callers share one request (reuse = theft). */
export function refreshTokens() {
  if (!refreshing) {
    refreshing = (async () => {
      const session = await getMeta('session');
      if (!session || !session.refresh_token)
        throw new ApiError(401, 'no_session', 'not signed in');
      const run = async () => {
        const fresh = await getMeta('session');
        if (fresh && fresh.access_token !== session.access_token) return fresh; // another context did it
        const res = await send('/api/auth/refresh', {
          method: 'POST',
          token: session.refresh_token,
        });
        if (!res.ok) {
          const err = await refusal(res);
          if (err.status === 401) await setMeta('session', { ...session, expired: true });
          throw err;
        }
        const data = await res.json();
        const next = {
          ...session,
          access_token: data.access_token,
          refresh_token: data.refresh_token,
          user: data.user,
        };
        await setMeta('session', next);
        if (data.settings) await setMeta('settings', data.settings);
        return next;
      };
      return typeof navigator !== 'undefined' && navigator.locks
        ? navigator.locks.request('vha-refresh', run)
        : run();
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/**
 * The one way to the API. `init`: method, body (sent as JSON), headers; `auth: false` sends no
 * token (sign-in), `refresh: false` does not refresh on a 401 (sign-out). Answers the Response
 * when it is ok or 304 Not Modified; throws ApiError otherwise.
 */
export async function apiFetch(path, { auth = true, refresh = true, ...init } = {}) {
  const session = auth ? await getMeta('session') : null;
  let res = await send(path, { ...init, token: session?.access_token });
  if (res.status === 401 && refresh && session?.refresh_token) {
    const next = await refreshTokens();
    res = await send(path, { ...init, token: next.access_token });
  }
  if (!res.ok && res.status !== 304) throw await refusal(res);
  return res;
}

async function json(res) {
  try {
    return await res.json();
  } catch (_) {
    return null;
  }
}

/** An authenticated JSON call; `opts.noRefresh` skips the refresh on a 401. */
export async function request(method, path, body, opts = {}) {
  return json(await apiFetch(path, { method, body, refresh: !opts.noRefresh }));
}

/** A GET with If-None-Match; answers {notModified} or {data, etag}. */
export async function getWithETag(path, etag) {
  const res = await apiFetch(path, { headers: etag ? { 'If-None-Match': etag } : {} });
  if (res.status === 304) return { notModified: true };
  return { data: await json(res), etag: res.headers.get('ETag') };
}

/** A file from the API (an export): its content and the name the server gave it. */
export async function download(path) {
  const res = await apiFetch(path, { headers: { Accept: '*/*' } });
  const match = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') || '');
  return { blob: await res.blob(), name: match ? match[1] : path.split('/').pop().split('?')[0] };
}

/** Unauthenticated POST (sign-in). */
export async function post(path, body) {
  return json(await apiFetch(path, { method: 'POST', body, auth: false }));
}
