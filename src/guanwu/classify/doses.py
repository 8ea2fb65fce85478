"""Goods put up in measured doses, and food supplements: the chapters the tariff's notes shut.

Two notes of 《进出口税则》 decide where a tablet of vitamin C cannot go, whatever its words say:

- Chapter 28 note 1 and chapter 29 note 1: the headings of those chapters apply only to separate
  chemically defined elements and compounds, whether or not with impurities, in water or another
  solvent used only for safety or transport, or with a stabiliser, an anti-dusting agent or a
  colouring or odoriferous substance added for identification or safety. A tablet, capsule,
  soft gel, chewable, lozenge, oral liquid or drops is the compound made up with what those notes
  do not allow (binders, fillers, a shell, sweeteners; a solvent that suits it to one use), so it is
  no chapter 28 or 29 goods: 维生素C咀嚼片 is a medicament of 30.04 (already put up in measured doses)
  or a food preparation of 21.06, never 2936.27 like the vitamin itself.
- Chapter 30 note 1(a): chapter 30 does not cover foods or beverages (such as dietetic, diabetic or
  fortified foods, food supplements (保健食品), tonic beverages and mineral waters), other than
  nutritional preparations for intravenous administration (Section IV). A description that calls
  the goods a food supplement is therefore no medicament of 30.03/30.04; 21.06 (explanatory note
  to heading 21.06, item (16)) is where such preparations go. (A supplement named without a dosage
  form keeps chapters 28 and 29 open: pure ascorbic acid in a retail tub is still 2936.27.)

``excluded`` gives the chapters a description shuts; ``knowledge`` takes ``EXCLUDED_WEIGHT`` from
every line of them, so such a line is suggested only below every line not shut, if at all. The words
are only those that name a dosage form or a supplement unmistakably. Tablets alone decide nothing:
a pure compound pressed into tablets without a binder is still that compound (TCCA pool tablets
are declared 2933.69 as 三氯异氰尿酸), and a bare 片 is as often a flake or a sheet (冰片 borneol,
苯酐片, 锌片); so only the tablets of nutrients and the made-up forms (咀嚼片, 泡腾片, 含片 ...) count.
颗粒剂, 丸剂 and 粉剂 are also the forms of pesticides the 检验检疫名称 table lists under chapter 29, and
散剂 hides in 分散剂: none of them counts. Public sources are silent on
how a description must name a dosage form; the words are the pharmacopoeia's dosage forms
(《中国药典》 通则 0100 制剂通则) and the trade's.
"""

from __future__ import annotations

import re

SEPARATE_COMPOUNDS = ("28", "29")  # chapter 28 note 1, chapter 29 note 1
MEDICAMENTS = ("30",)  # chapter 30 note 1(a)

_NUTRIENT = r"(?:维生素|维他命|多维|复合维|褪黑素|叶黄素|辅酶|益生菌|钙镁|鱼油)"
_DOSED = re.compile(
    r"胶囊|胶丸|咀嚼片|泡腾片|含片|口含片|分散片|缓释片|控释片|肠溶片|薄膜衣片|糖衣片|口崩片|舌下片|口服液|口服溶液|"
    rf"滴剂|软糖|冲剂|{_NUTRIENT}[^\s,，;；]{{0,10}}片"
    r"|(?<![a-z])(?:capsules?|softgels?|chewables?|gummies|lozenges?)(?![a-z])"
    r"|(?<![a-z])(?:vitamins?|multivitamins?|melatonin|lutein|probiotics?|coq10)(?![a-z]).*tablets?"
)
# not a dose: empty capsules are articles of gelatin (3503) or of 9602; a microcapsule is a coating
# that keeps the compound stable (a ruling keeps 速溶VC微胶囊 in 2936.27, as chapter 29 note 1(f)
# allows a stabiliser)
_NOT_A_DOSE = re.compile(r"空心胶囊|空胶囊|胶囊壳|微胶囊|empty capsules?|microcapsules?|micro-?encapsulated")
_SUPPLEMENT = re.compile(r"膳食补充|营养补充|食品补充|食物补充|保健食品|保健品|营养品|(?:dietary|food) supplements?")
# chapter 30 stays open: nutrition for intravenous use (the note's own exception), and medicinal
# wine, which the 检验检疫名称 table itself lists with a 保健食品 approval under 3004.90.51/.59
_CHAPTER_30_KEPT = re.compile(r"静脉|输液|肠外营养|intravenous|药酒|中药酒")


def dosed(folded: str) -> bool:
    """Whether a description (folded text) names a dosage form."""
    return bool(_DOSED.search(folded)) and not _NOT_A_DOSE.search(folded)


def supplement(folded: str) -> bool:
    """Whether a description calls the goods a food supplement (not for intravenous use, no
    medicinal wine)."""
    return bool(_SUPPLEMENT.search(folded)) and not _CHAPTER_30_KEPT.search(folded)


def excluded(folded: str) -> tuple[str, ...]:
    """The chapters (two digits) whose lines a description shuts by the notes above."""
    return (SEPARATE_COMPOUNDS if dosed(folded) else ()) + (MEDICAMENTS if supplement(folded) else ())
