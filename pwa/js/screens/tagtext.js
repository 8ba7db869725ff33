// A resident's tags as one line: each in catalogue order, with its last day when it ends (a
// postpartum tag from a delivery: 产妇（至 2026-12-20）). The tags are episodes.js
// `residentTags`: the effective tags on the day, not the register's list.
import { t } from '../i18n.js';

/** "孕妇、高血压" from `{tags, ends}`; '' when none. */
export function tagsText({ tags, ends }) {
  return tags
    .map((tag) => {
      const label = t(`tag.${tag}`);
      return ends.has(tag) ? t('tag.until', { tag: label, date: ends.get(tag) }) : label;
    })
    .join('、');
}
