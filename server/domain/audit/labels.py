"""Chinese names of audit actions and objects, for the export (the workspace has its own copy
in pwa/js/workspace/strings.zh-CN.js; a test keeps the two the same)."""

from __future__ import annotations

ACTION_ZH = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "approve": "审核通过",
    "return": "退回修改",
    "reject": "审核不通过",
    "merge": "合并重复居民",
    "resolve": "处理冲突",
    "resolve_conflict": "按冲突处理结果修改",
    "reset_password": "重置密码",
    "activate": "启用账号",
    "deactivate": "停用账号",
    "revoke": "停用手机",
    "revoke_after_upload": "上传后停用手机",
    "revoke_and_reset": "停用手机并重置密码",
    "revoked_after_upload": "手机上传完毕后已停用",
    "read.resident": "查看居民档案",
    "read.record": "查看服务记录",
    "read.household": "查看家庭档案",
    "read.id_number": "查看完整身份证号",
    "read.sensitive": "查看敏感健康信息",
    "search.id_number": "按身份证号查找",
    "lookup.duplicates": "查重",
    "export.csv": "导出CSV",
    "export.xlsx": "导出Excel",
    "auth.sign_in": "登录",
    "auth.sign_in_failed": "登录失败",
    "auth.sign_out": "退出登录",
    "auth.password_changed": "修改密码",
    "auth.refresh_reuse": "登录凭证被重复使用",
    "auth.device_revoked": "手机被停用",
}

ENTITY_ZH = {
    "resident": "居民",
    "household": "家庭",
    "service_record": "服务记录",
    "user": "账号",
    "conflict": "冲突",
    "export": "导出",
    "resident_search": "居民查找",
    "duplicate_lookup": "查重",
    "device": "手机",
    "username": "用户名",
}


def action_label(action: str) -> str:
    return ACTION_ZH.get(action, action)


def entity_label(entity: str) -> str:
    return ENTITY_ZH.get(entity, entity)
