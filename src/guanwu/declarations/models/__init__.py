from .declaration import ClientSeqCounter, Declaration, DeclarationStatus
from .goods import DeclarationGoodsLimit, DeclarationGoodsLimitVin, DeclarationItem
from .receipt import Receipt, ReceiptKind
from .related import (
    DeclarationContainer,
    DeclarationCopLimit,
    DeclarationCopPromise,
    DeclarationDocument,
    DeclarationEcoRelation,
    DeclarationLicence,
    DeclarationOtherPack,
    DeclarationRequestCert,
    DeclarationUser,
)

__all__ = [
    "ClientSeqCounter",
    "Declaration",
    "DeclarationContainer",
    "DeclarationCopLimit",
    "DeclarationCopPromise",
    "DeclarationDocument",
    "DeclarationEcoRelation",
    "DeclarationGoodsLimit",
    "DeclarationGoodsLimitVin",
    "DeclarationItem",
    "DeclarationLicence",
    "DeclarationOtherPack",
    "DeclarationRequestCert",
    "DeclarationStatus",
    "DeclarationUser",
    "Receipt",
    "ReceiptKind",
]
