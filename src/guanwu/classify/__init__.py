"""智能识别 / 智能回填: HS-code suggestions from a goods description, and proposals for the item.

Layout (each piece behind an obvious seam):

- ``text``: normalising what people type (full-width, units, traditional characters, Latin words,
  selling words of product titles);
- ``lexicon``: the small hand-kept map from trade words to tariff words (保温杯 -> 保温瓶 真空容器);
- ``glossary``: the 归类词典, 85,594 trade names (63,712 Chinese, 21,882 English) with their ten-digit
  lines (``data/glossary.csv``, how it was written in ``data/GLOSSARY.md``);
- ``rulings``: 1,656 海关预裁定 (advance rulings of 2023-2026): the applicant's goods name with the
  eight-digit code customs decided and the ruling number, named in the reasons
  (``data/rulings.csv``, where it comes from in ``data/RULINGS.md``);
- ``composition``, ``quantity``, ``state``: what a description states that splits lines (the
  predominant fibre, a size or power inside a line's stated range, a food's state: 冷冻, 干, 盐渍);
- ``knowledge``: general knowledge, built in-process per tariff version: TF-IDF over character
  n-grams of each code's document (tariff name, note, 检验检疫名称, glossary and ruling names) and of its
  heading, a names view (a code scores its best-matching single name), a head prior
  (P(heading | the last characters of the goods name)); ``english``: the English view;
  ``headings``: a linear classifier of the heading, ``lines``: one per heading of its lines;
  ``grouped``: best row per code; ``tfidf``: the query-time TF-IDF transform (n-grams kept as
  digests, no dictionary); ``stored``: the built index kept on disk, its arrays a read-only memory
  map shared by the processes of a machine;
- ``sources``: where examples come from (the enterprise's commodity library, which learns from
  released declarations, and its accepted suggestions; the public 规范申报 library of issue 17
  plugs in as one more ``ExampleSource``);
- ``services``: ``suggest``, ``accept``, ``element_proposals``; ``api``: the JSON endpoints.
"""
