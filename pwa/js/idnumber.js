// Mainland ID numbers (GB 11643): 18 characters, a real birth date from 1880 to today (China
// time), the ISO 7064 check digit. Same rule as server/domain/registry/idnumber.py, so the phone refuses
// what the server would (both pass tests/contracts/idnumber.json).
import { today } from './formrules.js';

const EARLIEST_BIRTH = '1880-01-01';
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** A problem key for `value`, or null when it is a valid number. */
export function idNumberProblem(value) {
  const v = String(value || '')
    .trim()
    .toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return 'id_format';
  const birth = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  const d = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== birth) return 'id_birth';
  if (birth < EARLIEST_BIRTH || birth > today()) return 'id_birth';
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(v[i]), 0);
  if (CHECK[sum % 11] !== v[17]) return 'id_check';
  return null;
}

export const birthDateOf = (v) => `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
// Same shape as `mask` in server/domain/registry/idnumber.py: the region (6 digits) only.
export const maskId = (v) => (v ? `${v.slice(0, 6)}${'*'.repeat(v.length - 6)}` : '');
