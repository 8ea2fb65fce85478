"""The shared tenant lookup: malformed and foreign ids answer the same 404."""

import pytest

from guanwu.core.errors import NotFound
from guanwu.tenancy.lookup import get_owned
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
