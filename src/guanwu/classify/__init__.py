"""智能识别 / 智能回填: HS-code suggestions from a goods description, and proposals for the item.

Layout (each piece behind an obvious seam):

- ``text``: normalising what people type (full-width, units, traditional characters, Latin words);
- ``lexicon``: the small hand-kept map from trade words to tariff words (保温杯 -> 保温瓶 真空容器);
- ``knowledge``: general knowledge, a TF-IDF index over character n-grams of the tariff names,
  notes and the 检验检疫名称, built in-process per tariff version;
- ``sources``: where examples come from (the enterprise's commodity library, which learns from
  released declarations, and its accepted suggestions; the public 规范申报 library of issue 17
  plugs in as one more ``ExampleSource``);
- ``services``: ``suggest``, ``accept``, ``element_proposals``; ``api``: the JSON endpoints.
"""
