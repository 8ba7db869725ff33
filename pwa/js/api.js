// HTTP to the server: JSON in and out, the JWT on every call, one refresh on a 401.
import { getMeta, setMeta } from './db.js';

/** Any failure the UI can show: status 0 means the network, otherwise the server's JSON error. */
export class ApiError extends Error {
  constructor(status, code, message, errors = {}) {
    super(message || code);
    this.status = status; this.code = code; this.errors = errors;
  }
  get isNetwork() { return this.status === 0; }
  get isAuth() { return this.status === 401; }
}

async function send(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, {
      method, headers, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', String(err && err.message || err));
  }
  return res;
}

async function parse(res) {
  if (res.status === 304) return { notModified: true };
  let data = null;
  try { data = await res.json(); } catch (_) { data = null; }
  if (!res.ok) {
    const d = data || {};
    const err = new ApiError(res.status, d.code || `http_${res.status}`, d.message || res.statusText, d.errors || {});
    const wait = Number(res.headers && res.headers.get ? res.headers.get('Retry-After') : NaN);
    err.retryAfter = Number.isFinite(wait) && wait >= 0 ? wait : null; // seconds (503 database_busy, 429)
    throw err;
  }
  return data;
}

let refreshing = null;

/** Trades the refresh token for a new pair; concurrent callers share one request (reuse = theft). */
export function refreshTokens() {
  if (!refreshing) {
    refreshing = (async () => {
      const session = await getMeta('session');
      if (!session || !session.refresh_token) throw new ApiError(401, 'no_session', 'not signed in');
      const run = async () => {
        const fresh = await getMeta('session');
        if (fresh && fresh.access_token !== session.access_token) return fresh; // another context did it
        const res = await send('POST', '/api/auth/refresh', undefined, session.refresh_token);
        try {
          const data = await parse(res);
          const next = { ...session, access_token: data.access_token, refresh_token: data.refresh_token, user: data.user };
          await setMeta('session', next);
          return next;
        } catch (err) {
          if (err.status === 401) await setMeta('session', { ...session, expired: true });
          throw err;
        }
      };
      return (typeof navigator !== 'undefined' && navigator.locks)
        ? navigator.locks.request('vha-refresh', run) : run();
    })().finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** An authenticated call. On 401 refreshes once and retries once; `opts.raw` returns headers too. */
export async function request(method, path, body, opts = {}) {
  const session = await getMeta('session');
  let res = await send(method, path, body, session && session.access_token);
  if (res.status === 401 && session && session.refresh_token && !opts.noRefresh) {
    const next = await refreshTokens();
    res = await send(method, path, body, next.access_token);
  }
  const data = await parse(res);
  return opts.raw ? { data, res } : data;
}

/** A GET with If-None-Match; answers {notModified} or {data, etag}. */
export async function getWithETag(path, etag) {
  const session = await getMeta('session');
  const go = (token) => fetch(path, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...(etag ? { 'If-None-Match': etag } : {}) },
    cache: 'no-store',
  }).catch((err) => { throw new ApiError(0, 'network', String(err)); });
  let res = await go(session && session.access_token);
  if (res.status === 401 && session) res = await go((await refreshTokens()).access_token);
  const data = await parse(res);
  if (data && data.notModified) return { notModified: true };
  return { data, etag: res.headers.get('ETag') };
}

/** Unauthenticated POST (sign-in). */
export async function post(path, body) { return parse(await send('POST', path, body)); }
