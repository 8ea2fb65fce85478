"""加工贸易账册 (issue 15): 企业资质申请, 加工贸易账册 (NEMS), 保税核注清单 (INV101), receipts,
balances. Business logic in ``services``; the API in ``api``; views/templates (p15ui) alongside."""
