// Problem codes of the server's errors ({"code": ..., "message": ..., "errors": ...}) in words for
// the user, both languages in one entry. Kept as strict JSON after `export default` so the Python
// tests read it with json.loads (tests/browser/test_strings.py); a code the app does not word
// here shows the server's own message.
// biome-ignore format: strict JSON, read by Python
export default {
  "partial_id_number_search": {
    "zh": "只有督导员可以按身份证号的一部分查找；请输入完整的18位身份证号，或按姓名、拼音、电话查找。",
    "en": "Only supervisors search by part of an ID number; type all 18 characters, or search by name, pinyin or phone."
  },
  "number_search_needs_post": {
    "zh": "按号码查找需放在请求正文中发送，请更新应用。",
    "en": "Number searches are sent in the request body; update the app."
  },
  "validation_error": {
    "zh": "数据未通过服务器检查，请按下面的提示修改。",
    "en": "The server found problems in the data; correct them as listed below."
  },
  "not_found": {
    "zh": "找不到所关联的居民或家庭：可能已被删除，或不在您负责的村。",
    "en": "The linked resident or household was not found: it may have been deleted or be outside your village."
  },
  "conflict": {
    "zh": "这条记录的编号已被占用，请重新保存。",
    "en": "The id of this record is already taken; save it again."
  },
  "stale_version": {
    "zh": "服务器上已有更新的版本，请同步后再修改。",
    "en": "The server has a newer version; sync, then change it again."
  },
  "record_reviewed": {
    "zh": "这条记录已审核通过，不能再修改。",
    "en": "This record was approved and can no longer be changed."
  },
  "resident_merged": {
    "zh": "这位居民已被督导合并到其他村的档案中，请联系督导。",
    "en": "A supervisor merged this resident into another village's record; ask your supervisor."
  },
  "mutation_id_reused": {
    "zh": "上传编号被重复使用，请重新保存这条记录。",
    "en": "The upload id was used before; save this record again."
  }
};
