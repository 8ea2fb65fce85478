"""Helpers of the commodity library tests: declarations that customs accepted/released."""

from __future__ import annotations

from guanwu.declarations import signals
from guanwu.declarations.models import Declaration, DeclarationStatus
from tests.declarations.factories import make_export_declaration, make_import_declaration


def accept_and_release(declaration: Declaration, capture) -> Declaration:
    """Both signals, after commit, as the receipts service sends them."""
    for status, signal in ((DeclarationStatus.ACCEPTED, signals.declaration_accepted),
                           (DeclarationStatus.RELEASED, signals.declaration_released)):
        Declaration.objects.filter(pk=declaration.pk).update(status=status)
        declaration.status = status
        with capture(execute=True):
            signals.send_after_commit(signal, declaration)
    return declaration


def released_export(enterprise, capture, **fields) -> Declaration:
    return accept_and_release(make_export_declaration(enterprise, **fields), capture)


def released_import(enterprise, capture, **fields) -> Declaration:
    return accept_and_release(make_import_declaration(enterprise, **fields), capture)
