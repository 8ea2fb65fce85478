"""The shared tenant lookup: malformed and foreign ids answer the same 404."""

import pytest

from guanwu.core.errors import NotFound
from guanwu.tenancy.lookup import MAX_ID, get_owned, possible_ids
from guanwu.tenancy.models import Membership


@pytest.mark.django_db
def test_get_owned(admin_a, admin_b, ent_a):
    mine = Membership.objects.get(user=admin_a)
    theirs = Membership.objects.get(user=admin_b)
    qs = Membership.objects.filter(enterprise=ent_a)
    assert get_owned(qs, str(mine.pk), "成员") == mine
    for bad in (theirs.pk, "abc", None):
        with pytest.raises(NotFound, match="成员不存在或无权访问"):
            get_owned(qs, bad, "成员")


def test_possible_ids_leave_out_what_no_row_can_have():
    """An id past 64 bits (a fuzzing client's, or a typo) names no row: SQLite could not even be
    asked about it in ``pk__in``, so the services drop it and answer 404."""
    assert possible_ids([1, "2", MAX_ID, MAX_ID + 1, 0, -3, "x", None, 2**100]) == [1, 2, MAX_ID]
