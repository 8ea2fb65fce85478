"""Normalising a goods description as people type it, before it meets the indexes.

- full-width / half-width: NFKC folds ＡＢＣ１２３（） to ABC123() and ㎖ to ml;
- traditional characters: the common ones of goods names are folded to simplified (a short
  table here, not a full converter: 襯衫 -> 衬衫, 電腦 -> 电脑; a rare character stays as typed);
- units and numbers: ``500ml``, ``2.5kg``, ``12寸``, ``3件`` and bare numbers carry no class
  (the suggester does not read weight or size thresholds) and are dropped;
- Latin words: kept apart (``latin_words``) for the lexicon (``tpu`` -> 塑料) and for matching
  the enterprise's own examples (brands, model numbers); unknown ones are no tariff knowledge.
"""

from __future__ import annotations

import re
import unicodedata

from guanwu.params.goods import BRAND_TYPE_CHOICES, EXPORT_PREFERENCE_CHOICES

MAX_CHARS = 300  # a description longer than this is cut: names and 申报要素 fit well within

_TRAD = (
    "襯衬 褲裤 襪袜 裝装 紡纺 織织 針针 纖纤 維维 絲丝 綿绵 滌涤 綸纶 錦锦 電电 腦脑 機机 線线 話话 視视 "
    "聽听 盤盘 鍵键 網网 絡络 數数 據据 處处 設设 備备 儀仪 錶表 鐘钟 測测 計计 溫温 濕湿 壓压 氣气 體体 "
    "閥阀 門门 軸轴 齒齿 輪轮 傳传 動动 發发 變变 燈灯 鏡镜 頭头 髮发 錢钱 紙纸 書书 筆笔 畫画 鹽盐 魚鱼 "
    "雞鸡 鴨鸭 豬猪 麵面 飲饮 醬酱 類类 產产 無无 鋼钢 鐵铁 鋁铝 銅铜 鋅锌 鎳镍 錫锡 銀银 膠胶 醫医 藥药 "
    "車车 輛辆 輸输 運运 製制 廠厂 業业 貨货 櫃柜 櫥橱 傢家 墊垫 寢寝 簾帘 鎖锁 鑰钥 鍋锅 壺壶 蓋盖 潔洁 "
    "淨净 護护 膚肤 妝妆 噴喷 霧雾 劑剂 潤润 樹树 條条 帶带 繩绳 籃篮 貓猫 餵喂 飼饲 養养 種种 蘋苹 檸柠 "
    "鳳凤 蝦虾 貝贝 殼壳 報报 關关 稅税 號号 碼码 單单 價价 導导 熱热 辦办 學学 習习 遊游 戲戏 樂乐 練练 "
    "繪绘 圖图 攝摄 錄录 廣广 顯显 螢萤 觸触 鞦秋 韆千 衛卫 絨绒 紗纱 緞缎 綢绸 縫缝 紐纽 釦扣 鈕钮 鋰锂 "
    "電电 擴扩 終终 鑽钻 錘锤 鋸锯 鉗钳 鏈链 塊块 廚厨 飾饰 環环 項项 鏈链 寶宝 嬰婴 兒儿 鹼碱 氫氢 礦矿 "
    "紅红 綠绿 藍蓝 黃黄 長长 軟软 燒烧 凍冻 鮮鲜 乾干 餅饼 糧粮 麥麦 穀谷 豐丰 蔥葱 薑姜 蘿萝 蔔卜"
)
TRADITIONAL = dict(pair for pair in _TRAD.split())
_TRAD_TABLE = str.maketrans(TRADITIONAL)

_UNITS = (
    "mah|ml|kg|mg|mm|cm|km|kw|kv|mw|wh|ah|oz|lb|pcs|pc|set|sets|inch|l|g|m|w|v|a|t|"
    "寸|英寸|克|千克|公斤|斤|吨|毫升|升|毫米|厘米|公分|米|瓦|伏|安|件|个|只|支|双|套|片|张|瓶|盒|包|袋|箱|条|卷|根|台|辆|粒|颗|码|号|岁|月|年"
)
_MEASURE = re.compile(rf"\d+(?:[.,]\d+)?\s*(?:[x×*]\s*\d+(?:[.,]\d+)?\s*)*(?:{_UNITS})?(?![a-z])", re.IGNORECASE)
_LATIN = re.compile(r"(?<![a-z0-9])[a-z][a-z0-9\-+&']*+", re.IGNORECASE)
_NON_TEXT = re.compile(r"[^\w\u4e00-\u9fff]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _joined_letter(m: re.Match) -> str:
    word, end = m.group(0), m.end()
    return word if len(word) == 1 and _HAN.match(m.string, end) else " "


def fold(value: str | None) -> str:
    """NFKC, traditional -> simplified (common characters), case-folded, cut at MAX_CHARS."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", str(value)[: MAX_CHARS * 2])[:MAX_CHARS]
    return text.translate(_TRAD_TABLE).casefold()


# Selling words of product titles (新款, 包邮, 韩版, 夏季 ...): they never decide a heading and
# their characters pull towards names that share them (款, 版, 季). Removed from descriptions
# before they meet the indexes. Words that can decide a line stay (家用, 男女通用, 儿童, 礼盒装).
_SELLING_TEXT = (
    "一件代发 厂家直销 明星同款 高品质 旗舰店 新款 爆款 包邮 正品 韩版 欧美风 欧美 日系 时尚 潮流 潮牌 网红同款 网红 "
    "厂家 直销 批发 定制 定做 热卖 促销 特价 清仓 高档 精品 新品 现货 代发 跨境 专供 外贸 原单 官方 旗舰 授权 "
    "优质 超值 实惠 经典 百搭 显瘦 修身 舒适 简约 可爱 创意 ins风 春夏 秋冬 四季 春秋 春季 夏季 秋季 冬季 "
    "夏天 冬天 亚马逊 速卖通 淘宝 天猫 京东 抖音 热销 大促 限量 包退 包换"
)
SELLING_WORDS = tuple(_SELLING_TEXT.split())
_SELLING = re.compile("|".join(sorted(map(re.escape, SELLING_WORDS), key=len, reverse=True)))


def strip_selling_words(text: str) -> str:
    """A folded description without its selling words (a space where each was)."""
    return _SELLING.sub(" ", text)


# 申报要素 every line carries whatever its goods (规范申报目录, 海关总署公告2016年第20号 / 2017年第1号:
# 品牌类型 and 出口享惠情况 come first on every line, then 品牌, 型号 ...): a description keyed as
# 商品名称 + 申报要素 brings their labels and fixed values, which say nothing of the class and
# whose characters (品牌, 境外, 优惠, 关税) only pull towards names that share them. The values are
# those of ``params.goods`` (品牌类型 0-4, 出口享惠情况 0-3) as written with or without their
# number; the labels are removed, the values after other labels stay (用途:家用 keeps 家用).
_ELEMENT_VALUES = (
    [label.split("-", 1)[1] for _, label in BRAND_TYPE_CHOICES + EXPORT_PREFERENCE_CHOICES]
    + ["不享惠", "享惠", "不享受优惠", "无品牌", "无型号", "无牌"]
)
_ELEMENT_LABELS = ("出口享惠情况", "享惠情况", "品牌类型", "品牌", "型号", "货号", "品名", "gtin", "cas",
                   "用途", "材质", "成分", "规格", "种类", "其他")
_ELEMENTS = re.compile(
    "|".join(sorted((re.escape(fold(v)) for v in _ELEMENT_VALUES), key=len, reverse=True))
    + "|(?:" + "|".join(_ELEMENT_LABELS) + r")\s*[:：]"
)


def strip_element_boilerplate(text: str) -> str:
    """A folded description without the 申报要素 labels and fixed values (a space where each was)."""
    return _ELEMENTS.sub(" ", text)


def latin_words(text: str) -> list[str]:
    """Latin words of a folded text, units and numbers removed (brands, materials like tpu)."""
    text = _MEASURE.sub(" ", text)
    return [w.strip("-+&'") for w in _LATIN.findall(text) if len(w.strip("-+&'")) >= 2]


def han_text(text: str) -> str:
    """The Chinese part of a folded text: units, numbers, Latin words and punctuation removed,
    each run of characters kept, runs separated by one space. A single Latin letter joined to
    a character stays (t恤, u盘, x光)."""
    text = _MEASURE.sub(" ", text)
    text = _LATIN.sub(_joined_letter, text)
    text = _NON_TEXT.sub(" ", text).replace("_", " ")
    return " ".join(text.split())


def has_meaning(text: str) -> bool:
    """Whether a folded text has anything to classify by: a Chinese character or a Latin word."""
    return bool(_HAN.search(text)) or bool(latin_words(text))
