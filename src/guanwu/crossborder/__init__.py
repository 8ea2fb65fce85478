"""跨境电商 B2B 出口 (seed 003): 9710 orders, 9810 booking orders, export lists, summaries.

Models in ``models/``, every change in ``services/``; the messages are the CEB family
(``guanwu.messages.ceb``), sent through the gateway and answered by the simulator's CEB family.
"""
