// The words of the catalogue's problems of the registry, service records, review, sync and
// county setup (server/core/problems.py). Strict JSON after `export default`, as problems.access.js.
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
  "conflict": {
    "zh": "这条记录的编号已被占用，请重新保存。",
    "en": "The id of this record is already taken; save it again."
  },
  "server_error": {
    "zh": "服务器无法处理这条记录，已暂时搁置，请联系管理员。",
    "en": "The server could not handle this record; it was set aside. Contact your administrator."
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
  },
  "conflict_already_resolved": {
    "zh": "这个冲突已经处理过了。",
    "en": "This conflict has already been resolved."
  },
  "conflict_field_not_settable": {
    "zh": "这一项不能在这里修改。",
    "en": "This field cannot be set here."
  },
  "conflict_not_found": {
    "zh": "找不到这个冲突，可能已被处理或不在您的辖区。",
    "en": "The conflict was not found; it may be resolved or outside your area."
  },
  "conflict_target_gone": {
    "zh": "冲突所涉及的记录已不存在。",
    "en": "The record this conflict is about no longer exists."
  },
  "conflict_value_invalid": {
    "zh": "填写的值不符合要求，请改正。",
    "en": "The value does not pass the checks; correct it."
  },
  "conflict_value_required": {
    "zh": "请填写要保留的值。",
    "en": "Type the value to keep."
  },
  "cursor_invalid": {
    "zh": "同步位置无效，请重新同步。",
    "en": "The sync position is not valid; sync again."
  },
  "form_definition_invalid": {
    "zh": "表单定义有错误，无法发布。",
    "en": "The form definition has errors and cannot be published."
  },
  "form_version_exists": {
    "zh": "这个表单版本已经发布过了。",
    "en": "This form version is already published."
  },
  "household_not_found": {
    "zh": "找不到这个家庭，可能已被删除或不在您的辖区。",
    "en": "The household was not found; it may be deleted or outside your area."
  },
  "invalid_text": {
    "zh": "含有无法保存的文字（如控制字符），请修改后再保存。",
    "en": "It holds text that cannot be stored (such as a control character); edit it and save again."
  },
  "merge_id_numbers_differ": {
    "zh": "两份档案的身份证号不同，不能合并。",
    "en": "The two records have different ID numbers and cannot be merged."
  },
  "merge_resident_gone": {
    "zh": "要合并的档案已不存在。",
    "en": "A record to merge no longer exists."
  },
  "merge_same_resident": {
    "zh": "不能把档案合并到它自己。",
    "en": "A record cannot be merged into itself."
  },
  "read_only": {
    "zh": "这类记录不能在手机上修改。",
    "en": "This kind of record cannot be changed on the phone."
  },
  "record_already_reviewed": {
    "zh": "这条记录已经审核过了。",
    "en": "This record has already been reviewed."
  },
  "record_not_found": {
    "zh": "找不到这条记录，可能已被删除或不在您的辖区。",
    "en": "The record was not found; it may be deleted or outside your area."
  },
  "resident_not_found": {
    "zh": "找不到这位居民，可能已被删除或不在您的辖区。",
    "en": "The resident was not found; they may be deleted or outside your area."
  },
  "review_comment_required": {
    "zh": "请写明理由。",
    "en": "Give a reason."
  },
  "search_too_short": {
    "zh": "请至少输入 3 位数字再搜索。",
    "en": "Type at least 3 digits to search."
  },
  "tag_unknown": {
    "zh": "有不认识的人群标签。",
    "en": "A tag is not known."
  },
  "household_elsewhere": {
    "zh": "只能迁入本村的其他户；迁往外村请联系督导。",
    "en": "A resident can move only to another household of the same village; ask your supervisor to move them to another village."
  },
  "mother_elsewhere": {
    "zh": "母亲必须是本村的居民。",
    "en": "The mother must be a resident of the same village as the child."
  },
  "record_ended": {
    "zh": "这份档案已在服务器上结案，只有督导可以恢复。",
    "en": "This record was ended on the server; only a supervisor can restore it."
  },
  "resident_not_ended": {
    "zh": "这份档案没有结案，无需恢复。",
    "en": "This resident's record has not ended; there is nothing to restore."
  },
  "import_file_unreadable": {
    "zh": "文件无法读取：{reason}请上传 CSV（UTF-8）或 XLSX 文件。",
    "en": "The file could not be read: {reason} Upload a CSV (UTF-8) or XLSX file."
  },
  "import_column_missing": {
    "zh": "文件缺少“{column}”列。",
    "en": "The file has no {column} column."
  },
  "import_has_errors": {
    "zh": "文件有 {count} 处问题，未做任何更改。请改正后再导入。",
    "en": "The file has {count} problems; nothing was changed. Correct them and import again."
  },
  "import_value_required": {
    "zh": "“{column}”一栏为空。",
    "en": "The {column} cell is empty."
  },
  "import_value_invalid": {
    "zh": "“{column}”一栏不能填“{value}”，应为：{expected}。",
    "en": "The {column} cell cannot hold {value}; expected {expected}."
  },
  "import_duplicate_row": {
    "zh": "“{column}”为 {value} 的行在第 {first_line} 行已出现过。",
    "en": "The same {column} {value} is already on line {first_line}."
  },
  "org_code_invalid": {
    "zh": "单位代码应为 12 位统计用区划代码，“{code}”不是。",
    "en": "A unit's code is its 12-digit statistical division code; {code} is not one."
  },
  "org_parent_unknown": {
    "zh": "文件和现有机构中都没有代码为 {parent_code} 的上级单位。",
    "en": "No unit has the code {parent_code}, in the file or the tree."
  },
  "org_parent_required": {
    "zh": "该单位须填写上级单位代码。",
    "en": "This unit needs its parent's code."
  },
  "org_code_outside_parent": {
    "zh": "代码 {code} 与上级单位代码 {parent_code} 的前几位不一致。",
    "en": "Code {code} does not begin like its parent's code {parent_code}."
  },
  "org_population_invalid": {
    "zh": "人口数应为不小于 0 的整数，“{value}”不是。",
    "en": "A population is a whole number, 0 or more, not {value}."
  },
  "org_name_invalid": {
    "zh": "单位名称应为 1 到 100 个字。",
    "en": "A unit's name has 1 to 100 characters."
  },
  "org_unit_move_not_confirmed": {
    "zh": "单位 {code} 现属于 {current_parent}；如确要把它移到 {parent_code} 下，请在“move”一栏注明“是”。",
    "en": "Unit {code} is under {current_parent} now; mark the row (move) to move it under {parent_code}."
  },
  "org_unit_not_empty": {
    "zh": "该单位下还有{contents}，只有空的单位才能删除。",
    "en": "This unit still has {contents}; only an empty unit can be removed."
  },
  "org_unit_code_taken": {
    "zh": "代码为 {code} 的单位已存在。",
    "en": "A unit with code {code} exists already."
  },
  "org_unit_code_unknown": {
    "zh": "没有代码为 {code} 的单位。",
    "en": "No unit has the code {code}."
  },
  "duplicate_pair_not_found": {
    "zh": "找不到这对疑似重复档案。",
    "en": "Suspected duplicate not found."
  },
  "duplicate_pair_decided": {
    "zh": "这对档案已经合并或已标为不是同一人。",
    "en": "This pair has already been merged or set aside."
  },
  "duplicate_keep_not_in_pair": {
    "zh": "要保留的档案必须是这两份之一。",
    "en": "The resident to keep must be one of the pair."
  },
  "tag_derived": {
    "zh": "这个标签由出生日期或家庭情况自动得出，无需核实或删除。",
    "en": "This tag follows from the birth date or the household; there is nothing to confirm or remove."
  },
  "tag_not_held": {
    "zh": "该居民今天没有这个标签。",
    "en": "The resident does not have this tag today."
  },
  "org_setting_unknown": {
    "zh": "没有名为 {key} 的单位设置；可设置的有：{known}。",
    "en": "There is no unit setting {key}; the settings are {known}."
  },
  "nip_version_unknown": {
    "zh": "没有免疫程序版本 {value}；请选择 {known} 之一。",
    "en": "There is no immunisation schedule {value}; choose one of {known}."
  },
  "tag_not_confirmable": {
    "zh": "只有高血压、糖尿病、严重精神障碍和肺结核需要与中心核实确认，这个标签无需确认。",
    "en": "Only hypertension, diabetes, severe mental disorder and TB are confirmed with the centre; this tag is not."
  }
};
