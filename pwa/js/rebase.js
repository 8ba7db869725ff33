// Rebasing an edit the server answered `stale_version`: the same rule as sync/client.py
// `rebased_base` (docs/sync-protocol.md, "base_version for consecutive offline edits"). Pure, so
// it is unit-tested on its own (tests/browser/test_js_rebase.py).

/** An edit is rebased at most this often; each rebase needs an edit ahead of it to be refused. */
export const MAX_REBASES = 8;

/**
 * The base_version to send a stale edit again with, or null to set it aside.
 *
 * The server advances a record by one version per accepted write, so a predicted base is too
 * high only when one of this phone's earlier edits of the record was refused. The new base is
 * the version last confirmed to the phone (`confirmed`, by a pull or a push answer), never above
 * the server's version named in the answer (`serverVersion`, which also stands in when the phone
 * holds no confirmed version, e.g. after a local delete), plus the phone's own edits of the
 * record still waiting ahead of this one (`ahead`). The confirmed version comes first because a
 * base that includes other phones' unseen edits would overwrite them without a conflict.
 * Null when that base is the one just turned down (nothing moved) or after MAX_REBASES tries.
 */
export function rebasedBase({ rejectedBase, confirmed, serverVersion, ahead = 0, rebases = 0 }) {
  if (rebases >= MAX_REBASES) return null;
  let known = confirmed || serverVersion;
  if (known == null) return null;
  if (serverVersion != null) known = Math.min(known, serverVersion);
  const base = known + ahead;
  if (base < 1 || base === rejectedBase) return null;
  return base;
}
