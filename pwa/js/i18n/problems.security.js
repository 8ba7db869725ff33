// The words of sign-in throttling, password policy, audit and role problems
// (server/core/problems_security.py). Strict JSON after `export default`, as problems.access.js.
// biome-ignore format: strict JSON, read by Python
export default {
  "password_is_username": {
    "zh": "密码不能与用户名相同。",
    "en": "The password must not be the username."
  },
  "password_too_common": {
    "zh": "这个密码太常见（如 123456、88888888、woaini1314），很容易被猜中，请换一个。",
    "en": "This password is too common (like 123456 or qwerty123) and easily guessed; choose another."
  },
  "sign_in_delayed": {
    "zh": "这个账号在此处输错密码的次数太多，请稍等片刻再试。",
    "en": "Too many wrong passwords for this account from here; wait a moment and try again."
  },
  "audit_not_allowed": {
    "zh": "只有督导员和管理员可以查看操作记录。",
    "en": "Only supervisors and admins read the audit trail."
  },
  "duplicate_lookups_limited": {
    "zh": "查重次数太多，请稍后再试。",
    "en": "Too many duplicate look-ups; try again in a moment."
  },
  "self_review": {
    "zh": "这条记录是您自己填写的，需由其他督导员审核。",
    "en": "You wrote this record yourself; another supervisor must review it."
  },
  "catalogue_not_owned": {
    "zh": "服务表单由本服务器上的所有县共用，只有全域管理员可以发布新版本。",
    "en": "Every county on this server shares the form catalogue; only an admin of the whole tree may publish to it."
  }
};
