// The words of the catalogue's problems of requests, sign-in and sessions, accounts and the org
// tree (server/core/problems.py). Strict JSON after `export default`: tests/browser/test_strings.py reads it.
// biome-ignore format: strict JSON, read by Python
export default {
  "validation_error": {
    "zh": "数据未通过服务器检查，请按下面的提示修改。",
    "en": "The server found problems in the data; correct them as listed below."
  },
  "not_found": {
    "zh": "找不到所关联的居民或家庭：可能已被删除，或不在您负责的村。",
    "en": "The linked resident or household was not found: it may have been deleted or be outside your village."
  },
  "bad_request": {
    "zh": "请求无法识别，请刷新后重试。",
    "en": "The request could not be understood; reload and try again."
  },
  "current_password_wrong": {
    "zh": "当前密码不对，请重新输入。",
    "en": "The current password is wrong; type it again."
  },
  "database_unavailable": {
    "zh": "服务器暂时无法访问数据库，请稍后再试。",
    "en": "The server cannot reach its database right now; try again later."
  },
  "database_busy": {
    "zh": "服务器正忙，稍后会自动重试。",
    "en": "The server is busy; the app will try again shortly."
  },
  "device_not_found": {
    "zh": "找不到这台设备。",
    "en": "The device was not found."
  },
  "device_not_registered": {
    "zh": "这台手机还没有登记，请重新登录。",
    "en": "This phone is not registered; sign in again."
  },
  "device_revoked": {
    "zh": "此手机已被停用。",
    "en": "This phone has been stopped."
  },
  "forbidden": {
    "zh": "您没有权限做这件事。",
    "en": "You are not allowed to do this."
  },
  "fresh_token_required": {
    "zh": "请重新登录后再做这件事。",
    "en": "Sign in again before doing this."
  },
  "internal_error": {
    "zh": "服务器出错了，已记录下来，请稍后再试。",
    "en": "Something went wrong on the server; it has been logged. Try again later."
  },
  "invalid_credentials": {
    "zh": "用户名或密码不对。",
    "en": "Wrong username or password."
  },
  "invalid_token": {
    "zh": "登录已失效，请重新登录。",
    "en": "Your sign-in is no longer valid; sign in again."
  },
  "method_not_allowed": {
    "zh": "这里不能这样操作。",
    "en": "This method is not allowed here."
  },
  "missing_token": {
    "zh": "请先登录。",
    "en": "Sign in first."
  },
  "org_unit_level_invalid": {
    "zh": "机构层级不对（县、乡镇、村）。",
    "en": "The org unit level is wrong (county, township, village)."
  },
  "org_unit_not_found": {
    "zh": "找不到这个机构。",
    "en": "The org unit was not found."
  },
  "org_unit_not_in_area": {
    "zh": "这个机构不在您的辖区。",
    "en": "This org unit is not in your area."
  },
  "password_change_required": {
    "zh": "请先设置新密码。",
    "en": "Choose a new password first."
  },
  "password_too_short": {
    "zh": "密码太短，至少 8 位。",
    "en": "The password is too short: at least 8 characters."
  },
  "password_unchanged": {
    "zh": "新密码不能和当前密码相同。",
    "en": "The new password must differ from the current one."
  },
  "payload_too_large": {
    "zh": "一次上传的内容太多，将分批上传。",
    "en": "Too much in one upload; it will be sent in smaller batches."
  },
  "rate_limited": {
    "zh": "尝试次数太多，请稍等片刻再试。",
    "en": "Too many attempts; wait a moment and try again."
  },
  "refresh_token_reused": {
    "zh": "登录已在别处被使用，为安全起见已退出，请重新登录。",
    "en": "This sign-in was used elsewhere and has been ended for safety; sign in again."
  },
  "role_level_mismatch": {
    "zh": "角色和机构层级不符：助理员属于村，督导属于乡镇，管理员属于县。",
    "en": "The role does not fit the org unit: assistants belong to a village, supervisors to a township, administrators to a county."
  },
  "role_not_allowed": {
    "zh": "您的角色不能使用这个功能。",
    "en": "Your role cannot use this."
  },
  "role_not_manageable": {
    "zh": "您不能管理这个角色的账号。",
    "en": "You cannot manage accounts of this role."
  },
  "token_expired": {
    "zh": "登录已过期，请重新登录。",
    "en": "Your sign-in has expired; sign in again."
  },
  "token_revoked": {
    "zh": "登录已被撤销，请重新登录。",
    "en": "Your sign-in was revoked; sign in again."
  },
  "unauthorized": {
    "zh": "请先登录。",
    "en": "Sign in first."
  },
  "unsupported_media_type": {
    "zh": "上传的格式不对。",
    "en": "The upload is in the wrong format."
  },
  "user_not_found": {
    "zh": "找不到这个账号。",
    "en": "The account was not found."
  },
  "username_taken": {
    "zh": "这个用户名不可用，请换一个。",
    "en": "This username is not available; choose another."
  },
  "account_deactivated": {
    "zh": "此手机已被停用：您的账号已停用，本机上的数据已清除。请联系督导。",
    "en": "This phone has been stopped: your account was deactivated and the data on it erased. Ask your supervisor."
  }
};
