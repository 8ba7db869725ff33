"""Device kinds from real Android User-Agent strings (brand, model, browser, system)."""

from __future__ import annotations

import pytest

from server.domain.accounts.useragent import parse

CASES = [
    (
        "Mozilla/5.0 (Linux; Android 13; 22081212C Build/TKQ1.220829.002; wv) AppleWebKit/537.36"
        " (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023"
        " MMWEBSDK/20230405 MMWEBID/2585 MicroMessenger/8.0.35.2360(0x2800235B) WeChat/arm64"
        " Weixin NetType/WIFI Language/zh_CN ABI/arm64",
        ("xiaomi", "22081212C", "wechat", "Android 13"),
    ),
    (
        "Mozilla/5.0 (Linux; U; Android 12; zh-cn; M2012K11AC Build/SKQ1.211006.001) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.127 Mobile "
        "Safari/537.36 XiaoMi/MiuiBrowser/17.1.80426",
        ("xiaomi", "M2012K11AC", "xiaomi", "Android 12"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 12; Redmi Note 11 Pro Build/SKQ1.211006.001; wv) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/98.0.4758.101 Mobile "
        "Safari/537.36 UCBrowser/15.3.6.1226",
        ("redmi", "Redmi Note 11 Pro", "uc", "Android 12"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 12; HarmonyOS; ALN-AL00; HMSCore 6.11.0.302) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.0.322 "
        "Mobile Safari/537.36",
        ("huawei", "ALN-AL00", "huawei", "HarmonyOS"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; HarmonyOS; NOH-AN00; HMSCore 6.6.0.312; GMSCore "
        "22.36.16) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/92.0.4515.105 Mobile "
        "Safari/537.36 Quark/6.2.2.246",
        ("huawei", "NOH-AN00", "quark", "HarmonyOS"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; PGBM10 Build/TP1A.220905.001; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/103.0.5060.129 Mobile Safari/537.36 "
        "HeyTapBrowser/40.8.29.1",
        ("oppo", "PGBM10", "oppo", "Android 13"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 11; OPPO A57 Build/RP1A.200720.011) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/110.0.5481.153 Mobile Safari/537.36",
        ("oppo", "OPPO A57", "chrome", "Android 11"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; V2217A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/101.0.4951.74 Mobile Safari/537.36 "
        "VivoBrowser/17.5.10.1",
        ("vivo", "V2217A", "vivo", "Android 13"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S9180) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
        ("samsung", "SM-S9180", "samsung", "Android 14"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Mobile Safari/537.36",
        (None, None, "chrome", "Android 10"),
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36",
        (None, None, "chrome", "Windows"),
    ),
    ("", (None, None, None, None)),
]


@pytest.mark.parametrize(("agent", "expected"), CASES)
def test_device_kind_from_user_agent(agent, expected):
    kind = parse(agent)
    assert (kind.brand, kind.model, kind.browser, kind.os) == expected
