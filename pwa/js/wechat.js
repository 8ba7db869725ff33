// WeChat's built-in browser (its user agent says MicroMessenger) cannot install the app or keep
// its data for long: many village phones open links there, so the app says how to leave it.
import { t } from './i18n.js';
import { h, notice } from './ui.js';

/** Whether this user agent is WeChat's built-in browser. */
export const isWeChat = (ua = navigator.userAgent) => /MicroMessenger/i.test(ua || '');

/** The way out of WeChat, in the user's language; null in any other browser. */
export function wechatNotice(ua) {
  if (!isWeChat(ua)) return null;
  return notice(
    'bad',
    { id: 'wechat' },
    h('p', {}, h('b', {}, t('wechat.title'))),
    h(
      'ol',
      {},
      ['wechat.step_menu', 'wechat.step_open', 'wechat.step_install'].map((key) =>
        h('li', {}, t(key)),
      ),
    ),
    h('p', { class: 'muted' }, t('wechat.why')),
  );
}
