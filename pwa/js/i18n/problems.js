// Problem codes of the server's errors ({"code": ..., "message": ..., "errors": ...}) in words for
// the user, both languages in one entry, gathered from the dictionaries beside this file; a code
// the app does not word shows a generic refusal (js/screens/wording.js).
import access from './problems.access.js';
import records from './problems.records.js';
import security from './problems.security.js';

export default { ...access, ...records, ...security };
