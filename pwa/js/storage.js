// Persistent storage: ask once, and tell the user how much is used and whether it may be evicted.

export async function askPersistence() {
  if (!navigator.storage || !navigator.storage.persist) return false;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist();
}

export async function storageInfo() {
  if (!navigator.storage || !navigator.storage.estimate) return null;
  const [estimate, persisted] = await Promise.all([
    navigator.storage.estimate(),
    navigator.storage.persisted(),
  ]);
  const used = estimate.usage || 0;
  const quota = estimate.quota || 0;
  const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
  return {
    used,
    quota,
    persisted,
    usedText: `${mb(used)} / ${mb(quota)}`,
    warn: !persisted || (quota && used / quota > 0.8),
    nearlyFull: Boolean(quota && used / quota > 0.8),
  };
}
