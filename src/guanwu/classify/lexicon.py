"""Trade words -> tariff words: what a broker knows that the tariff names do not say.

People write 保温杯, 手机壳, 精华液, 充电宝; the tariff says 保温瓶/真空容器, 塑料制品, 美容品或
化妆品及护肤品, 锂离子蓄电池. Each entry adds the tariff's words to a description that contains
the trade word (matched on the folded text, so 襯衫 and ＴＰＵ match too). The expansion only adds
words: the description's own words still count, and a wrong expansion cannot remove the right
code, only push it down.

Kept by hand from general classification knowledge (the 品目 texts and the 归类 practice of common
consumer and industrial goods); never tuned on the evaluation set in ``benchmarks/data``.
"""

from __future__ import annotations

# trade word (folded: lower case, simplified) -> words of the tariff.
# Materials say what the goods are made of, not what they are: they weigh less in a query
# (``knowledge.prepare``), like every Latin trade word (tpu, led, pvc: attributes of goods).
MATERIALS: dict[str, str] = {
    # materials
    "纯棉": "棉制", "全棉": "棉制", "棉质": "棉制", "100%棉": "棉制",
    "涤纶": "化纤制 合成纤维", "聚酯纤维": "化纤制 合成纤维", "锦纶": "化纤制 合成纤维 尼龙",
    "尼龙": "化纤制 合成纤维 尼龙", "氨纶": "化纤制 合成纤维", "腈纶": "化纤制 合成纤维", "粘胶": "人造纤维",
    "羊毛": "毛制", "羊绒": "山羊绒 毛制", "真丝": "丝及绢丝", "桑蚕丝": "丝及绢丝", "亚麻": "亚麻制",
    "tpu": "塑料", "pvc": "聚氯乙烯 塑料", "abs": "塑料", "pp": "聚丙烯 塑料", "pe": "聚乙烯 塑料",
    "pet": "塑料", "亚克力": "塑料", "塑胶": "塑料", "硅胶": "硫化橡胶", "乳胶": "橡胶",
    "真皮": "皮革", "牛皮": "皮革", "羊皮": "皮革", "pu皮": "塑料 再生皮革", "人造革": "塑料",
    "不锈钢": "不锈钢 钢铁", "304": "不锈钢", "铝合金": "铝制", "纯铜": "铜制", "黄铜": "铜制",
    "实木": "木制", "竹制": "竹制", "陶瓷": "陶瓷", "玻璃": "玻璃",
}

# goods, people, make-up: what the goods are (the head of a description)
LEXICON: dict[str, str] = {
    **MATERIALS,
    # people and make-up of garments
    "男士": "男式", "男款": "男式", "男装": "男式", "女士": "女式", "女款": "女式", "女装": "女式",
    # garments not identifiable as men's or women's are women's (第六十一章注释九, 第六十二章注释八)
    "男女通用": "女式", "男女同款": "女式", "中性款": "女式", "情侣款": "女式",
    "童装": "婴儿 儿童", "婴儿": "婴儿", "宝宝": "婴儿",
    "针织": "针织或钩编", "毛衣": "针织或钩编 套头衫 开襟衫", "卫衣": "针织或钩编 套头衫",
    "t恤": "t恤衫 针织或钩编", "polo衫": "针织或钩编 衬衫", "背心": "汗衫及其他背心",
    "衬衫": "衬衫", "衬衣": "衬衫", "牛仔裤": "长裤 斜纹", "裤子": "长裤", "短裤": "短裤",
    "连衣裙": "连衣裙", "半身裙": "裙子", "夹克": "上衣", "羽绒服": "羽绒 防寒短上衣", "风衣": "大衣",
    "内裤": "内裤", "文胸": "胸罩", "袜子": "袜", "丝袜": "连裤袜 袜", "睡衣": "睡衣",
    "泳衣": "游泳服", "围巾": "围巾", "帽子": "帽类", "手套": "手套",
    # footwear, bags
    "运动鞋": "运动鞋靴", "跑鞋": "运动鞋靴", "拖鞋": "拖鞋", "凉鞋": "鞋靴", "皮鞋": "皮革制鞋面 鞋靴",
    "靴子": "鞋靴", "雪地靴": "鞋靴", "双肩包": "背包 箱包", "背包": "箱包", "书包": "书包 箱包",
    "手提包": "手提包", "钱包": "钱包", "行李箱": "衣箱", "拉杆箱": "衣箱", "手机壳": "塑料制品 其他塑料制品",
    "手机套": "塑料制品", "保护套": "塑料制品",
    # cosmetics, toiletries
    "精华": "美容品或化妆品及护肤品", "肌底液": "美容品或化妆品及护肤品", "面霜": "美容品或化妆品及护肤品",
    "乳液": "美容品或化妆品及护肤品", "爽肤水": "美容品或化妆品及护肤品", "化妆水": "美容品或化妆品及护肤品",
    "眼霜": "眼用化妆品", "面膜": "美容品或化妆品及护肤品 片 张", "防晒": "美容品或化妆品及护肤品 防晒",
    "粉底": "美容品或化妆品", "口红": "唇用化妆品", "唇膏": "唇用化妆品", "唇彩": "唇用化妆品",
    "眼影": "眼用化妆品", "睫毛膏": "眼用化妆品", "眼线": "眼用化妆品", "指甲油": "指(趾)甲化妆品",
    "香水": "香水及花露水", "洗发水": "洗发剂", "洗发露": "洗发剂", "护发素": "护发品",
    "沐浴露": "有机表面活性产品及制品 洗澡用", "洗面奶": "洗面 有机表面活性", "牙膏": "洁齿品",
    "香皂": "肥皂", "洗衣液": "洗涤剂", "洗衣粉": "洗涤剂", "纸尿裤": "尿布 尿裤", "卫生巾": "卫生巾",
    # food and drink
    "奶粉": "乳粉", "婴儿配方": "婴幼儿配方", "红酒": "葡萄酒", "葡萄酒": "葡萄酒", "啤酒": "啤酒",
    "威士忌": "威士忌酒", "白酒": "蒸馏酒", "咖啡豆": "咖啡", "速溶咖啡": "咖啡浓缩精汁 速溶",
    "巧克力": "巧克力", "饼干": "饼干", "蜂蜜": "天然蜂蜜", "橄榄油": "油橄榄油", "矿泉水": "矿泉水",
    "保健品": "食品", "维生素": "维生素", "鱼油": "鱼油",
    # household
    "保温杯": "保温瓶 真空容器", "保温壶": "保温瓶 真空容器", "焖烧杯": "保温瓶 真空容器",
    "水杯": "杯", "马克杯": "陶瓷 杯", "餐具": "餐具", "筷子": "筷子", "菜刀": "刀", "锅": "锅",
    "炒锅": "锅 烹饪", "砧板": "菜板", "毛巾": "毛巾", "浴巾": "毛巾", "床单": "床单", "被子": "被褥",
    "枕头": "枕头", "窗帘": "窗帘", "地毯": "地毯", "雨伞": "伞", "收纳盒": "塑料 盒",
    "垃圾袋": "塑料 袋", "保鲜膜": "塑料 薄膜", "牙刷": "牙刷", "梳子": "梳子", "打火机": "打火机",
    "蜡烛": "蜡烛", "相框": "相框", "花瓶": "瓶",
    # electronics, electrical
    "手机": "手持式无线电话机 蜂窝网络", "智能手机": "手持式无线电话机 蜂窝网络",
    "平板电脑": "便携式自动数据处理设备", "笔记本电脑": "便携式自动数据处理设备",
    "台式机": "自动数据处理设备", "显示器": "监视器", "键盘": "键盘 输入部件", "鼠标": "鼠标 输入部件",
    "u盘": "闪速存储器 半导体媒体", "固态硬盘": "固态 存储部件", "硬盘": "硬盘驱动器 存储部件",
    "内存条": "存储器", "路由器": "路由器", "交换机": "交换机", "蓝牙耳机": "无线耳机", "耳机": "耳机",
    "音箱": "扬声器", "麦克风": "传声器", "充电宝": "锂离子蓄电池", "移动电源": "锂离子蓄电池",
    "锂电池": "锂离子蓄电池", "电池": "电池", "充电器": "静止式变流器", "适配器": "静止式变流器",
    "数据线": "电缆 导体", "电源线": "电线 电缆", "插头": "插头", "插座": "插座",
    "led": "发光二极管", "灯泡": "灯泡", "台灯": "灯具", "手电筒": "手电筒", "电风扇": "风扇",
    "吹风机": "吹风机 电热", "电饭煲": "电饭锅", "微波炉": "微波炉", "电水壶": "电热水壶",
    "剃须刀": "剃须刀", "电动牙刷": "电动牙刷", "摄像头": "摄像机", "相机": "照相机", "无人机": "无人机 飞机",
    "电视": "电视接收装置", "空调": "空气调节器", "冰箱": "冷藏箱 冷冻箱", "洗衣机": "洗衣机",
    "智能手表": "手表 无线", "手表": "手表", "游戏机": "视频游戏控制器",
    # machinery and parts
    "轴承": "轴承", "齿轮": "齿轮", "螺丝": "螺钉", "螺栓": "螺栓", "螺母": "螺母", "垫片": "垫圈",
    "弹簧": "弹簧", "阀门": "阀门", "水泵": "泵", "电机": "电动机", "马达": "电动机", "发电机": "发电机",
    "变压器": "变压器", "滤芯": "过滤器 零件", "滤清器": "过滤器", "轮胎": "轮胎", "刹车片": "制动器 零件",
    "汽车配件": "机动车辆 零件", "传感器": "传感器", "电路板": "印刷电路", "芯片": "集成电路",
    "电容": "电容器", "电阻": "电阻器", "继电器": "继电器", "开关": "开关",
    # toys, sports, stationery
    "玩具": "玩具", "积木": "玩具 积木", "毛绒玩具": "玩具 毛绒", "娃娃": "玩偶", "拼图": "拼图",
    "自行车": "自行车", "滑板": "滑板", "瑜伽垫": "运动用品", "哑铃": "体育用品", "跑步机": "体育用品",
    "钓鱼竿": "钓鱼竿", "渔具": "钓鱼", "帐篷": "帐篷", "睡袋": "睡袋",
    "笔记本": "笔记本 纸", "圆珠笔": "圆珠笔", "铅笔": "铅笔", "复印纸": "书写 印刷用纸",
    "纸箱": "纸箱 瓦楞纸", "胶带": "胶粘 带", "贴纸": "纸 标签",
    # medical
    "口罩": "口罩", "医用口罩": "医用口罩", "防护服": "防护服", "注射器": "注射器", "血压计": "血压",
    "体温计": "体温计", "创可贴": "胶粘敷料", "轮椅": "轮椅",
}

# longest first, so that 智能手机 is found before 手机 adds its words a second time
_ORDERED = sorted(LEXICON.items(), key=lambda kv: -len(kv[0]))
# the Chinese keys by their first character, with their place in that order: a text is only
# searched for the keys that start with one of its own characters (the index's build reads
# ~80,000 names through ``expand``)
_BY_FIRST: dict[str, list[int]] = {}
for _rank, (_key, _) in enumerate(_ORDERED):
    if not _key.isascii():
        _BY_FIRST.setdefault(_key[0], []).append(_rank)
_LATIN_RANKS = [rank for rank, (key, _) in enumerate(_ORDERED) if key.isascii()]


def is_modifier(key: str) -> bool:
    """A material or a Latin attribute word: it qualifies the goods, it does not name them."""
    return key in MATERIALS or key.isascii()


def expand(folded: str, latin: list[str], keep: frozenset[str] = frozenset()) -> tuple[str, str, list[str]]:
    """(the folded text without its trade words, the tariff words for them, the trade words).

    A trade word is replaced, not only added to: 手机壳 is a plastic article, and its 手机 must
    not pull the suggestion towards telephones. A trade word in ``keep`` (one the tariff or a
    检验检疫名称 uses itself, like 台灯) stays in the text as well: it is the best evidence there is."""
    words: list[str] = []
    hits: list[str] = []
    latin_set = set(latin)
    rest = folded
    kept: list[str] = []
    ranks = [r for r in _LATIN_RANKS if _ORDERED[r][0] in latin_set] if latin_set else []
    for ch in set(folded):
        ranks += [r for r in _BY_FIRST.get(ch, ()) if _ORDERED[r][0] in folded]
    for rank in sorted(ranks):
        key, value = _ORDERED[rank]
        if key.isascii():
            found = True
        else:
            found = key in rest
            if found and key not in keep:
                rest = rest.replace(key, " ")
            elif found:  # kept behind a placeholder, so that no shorter key is found inside it
                rest = rest.replace(key, f" \ue000{len(kept)}\ue000 ")
                kept.append(key)
        if found:
            words.append(value)
            hits.append(key)
    for i, key in enumerate(kept):
        rest = rest.replace(f"\ue000{i}\ue000", key)
    return rest, " ".join(words), hits
